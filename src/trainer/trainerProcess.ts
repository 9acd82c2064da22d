// The background trainer: a child process forked by the extension host for exactly one run.
// It receives `start` (and maybe `stop`) over IPC and streams the engine's events back as typed messages.
import { runTraining } from '../core/runTraining';
import type { FromTrainerMessage, ToTrainerMessage } from '../protocol/trainer';
import { parseToTrainerMessage } from './parseToTrainerMessage';

const controller = new AbortController();
let started = false;

function send(message: FromTrainerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, undefined, () => resolve());
  });
}

async function start(message: Extract<ToTrainerMessage, { type: 'start' }>): Promise<void> {
  let runId: string | undefined;
  try {
    const outcome = await runTraining({
      spec: message.spec,
      runsDir: message.runsDir,
      name: message.name,
      backend: message.backend,
      resumeRunId: message.resumeRunId,
      signal: controller.signal,
      onRunCreated: (id, runDir) => {
        runId = id;
        void send({ type: 'runCreated', runId: id, runDir });
      },
      onEvent: (event, id) => {
        void send({ type: 'event', runId: id, event });
      },
    });
    await send({ type: 'finished', runId: outcome.runId, status: outcome.status, error: outcome.error });
  } catch (error) {
    await send({ type: 'finished', runId, status: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
  process.exit(0);
}

process.on('message', (raw: unknown) => {
  const message = parseToTrainerMessage(raw);
  if (!message) {
    process.stderr.write(`Ignored an invalid message: ${JSON.stringify(raw)?.slice(0, 200)}\n`);
    return;
  }
  switch (message.type) {
    case 'start':
      if (started) return;
      started = true;
      void start(message);
      return;
    case 'stop':
      controller.abort();
      return;
  }
});

// The extension host went away (window reload or close): stop at the next batch so the run folder
// stays consistent; the run then reads as interrupted/cancelled and can be resumed.
process.on('disconnect', () => controller.abort());
