// The inference process: forked by the extension host and kept warm between classifications, so
// the second one skips starting TensorFlow.js and loading the model. It never blocks the editor.
import { initBackend } from '../core/backend/selectBackend';
import type { FromInferenceMessage } from '../protocol/inference';
import { parseToInferenceMessage } from './inferenceMessages';
import { InferenceSession } from './inferenceSession';

function send(message: FromInferenceMessage): Promise<void> {
  return new Promise((done) => {
    if (!process.send || !process.connected) {
      done();
      return;
    }
    process.send(message, undefined, undefined, () => done());
  });
}

const backend = initBackend('auto');
backend.then(
  (info) => send({ type: 'ready', backend: info.description }),
  (error: Error) => process.stderr.write(`No TensorFlow.js backend: ${error.message}\n`),
);
const session = new InferenceSession(send, backend);

process.on('message', (raw: unknown) => {
  const parsed = parseToInferenceMessage(raw);
  if ('problem' in parsed) {
    // Answered, so a caller waiting on that request learns why nothing else will come.
    const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : -1;
    void send({ type: 'error', id, message: `Ignored an invalid message: ${parsed.problem}.` });
    return;
  }
  const message = parsed.message;
  switch (message.type) {
    case 'classify':
      void session.classify(message);
      return;
    case 'cancel':
      session.cancel(message.id);
      return;
    default:
      assertNever(message);
  }
});

/** Compile-time exhaustiveness of the switch above (parsing admits only known types). */
function assertNever(_message: never): void {
  // Nothing to do at run time.
}

// The extension host went away (reload, close, or it let this process go idle): nothing to finish.
process.on('disconnect', () => {
  session.dispose();
  process.exit(0);
});
