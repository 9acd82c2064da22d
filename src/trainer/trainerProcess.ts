// The background trainer: a child process forked by the extension host for exactly one run.
// It receives `start` (and maybe `stop`) over IPC and streams the engine's events back as typed messages.
import { runTraining } from '../core/runTraining';
import type { FromTrainerMessage, ToTrainerMessage } from '../protocol/trainer';
import { parseToTrainerMessage } from './parseToTrainerMessage';

const controller = new AbortController();
let started = false;
/** Set when the extension host went away: the run then ends as interrupted (resumable), not cancelled. */
let hostGone = false;

function send(message: FromTrainerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, undefined, () => resolve());
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
      isInterrupted: () => hostGone,
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
    // Stopped while the dataset was still loading: nothing failed, the user asked for it.
    const status = controller.signal.aborted && runId === undefined ? (hostGone ? 'interrupted' : 'cancelled') : 'failed';
    if (status === 'failed') process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    await send({ type: 'finished', runId, status, error: status === 'failed' ? describeError(error) : undefined });
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
// stays consistent; the run ends as interrupted and can be resumed from its last checkpoint.
process.on('disconnect', () => {
  hostGone = true;
  controller.abort();
  // Without a run to finish there is nothing to save.
  if (!started) process.exit(0);
});

// Another window (or a user's `kill`) asking politely: the same as a stop message.
process.on('SIGTERM', () => {
  if (!started) process.exit(0);
  controller.abort();
});
