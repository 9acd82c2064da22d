// The inference process: forked by the extension host and kept warm between classifications, so
// the second one skips starting TensorFlow.js and loading the model. It never blocks the editor.
import { initBackend } from '../../core/backend/selectBackend';
import { errorMessage } from '../../core/errorMessage';
import type { FromInference } from '../../protocol/inference';
import { receiveFromHost, sendToHost } from '../parentChannel';
import { reportLibvipsBuild } from '../reportLibvipsBuild';
import { parseToInference, toInferenceProblem } from './inferenceMessages';
import { InferenceSession } from './inferenceSession';

const send = (message: FromInference) => sendToHost(message);
reportLibvipsBuild();

const backend = initBackend('auto');
backend.then(
  (info) => send({ type: 'ready', backend: info.description }),
  (error: unknown) => process.stderr.write(`No TensorFlow.js backend: ${errorMessage(error)}\n`),
);
const session = new InferenceSession(send, backend);

receiveFromHost(parseToInference, (message) => {
  switch (message.type) {
    case 'classify':
      void session.classify(message);
      return;
    case 'cancel':
      session.cancel(message.id);
      return;
  }
}, (raw) => {
  // Answered, so a caller waiting on that request learns why nothing else will come.
  const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : -1;
  void send({ type: 'error', id, message: `Ignored an invalid message: ${toInferenceProblem(raw)}.` });
});

// The extension host went away (reload, close, or it let this process go idle): nothing to finish.
process.on('disconnect', () => {
  session.dispose();
  process.exit(0);
});
