// The background trainer: a child process forked by the extension host for exactly one run.
// It receives `start` (and maybe `stop`) over IPC and streams the engine's events back as typed messages.
import { errorMessage } from '../../core/errorMessage';
import { runTraining } from '../../core/runTraining';
import type { FromTrainer, ToTrainer } from '../../protocol/trainer';
import { logError, sendToHost, serveOneJob } from '../parentChannel';
import { reportLibvipsBuild } from '../reportLibvipsBuild';
import { parseToTrainer } from './trainerMessages';

/** Set when the extension host went away: the run then ends as interrupted (resumable), not cancelled. */
let hostGone = false;

const send = (message: FromTrainer) => sendToHost(message);
reportLibvipsBuild();

async function start(message: Extract<ToTrainer, { type: 'start' }>, signal: AbortSignal): Promise<void> {
  let runId: string | undefined;
  try {
    const outcome = await runTraining({
      spec: message.spec,
      runsDir: message.runsDir,
      name: message.name,
      backend: message.backend,
      threads: message.threads ?? 'auto',
      resumeRunId: message.resumeRunId,
      signal,
      isInterrupted: () => hostGone,
      onRunCreated: (id, runDir, name) => {
        runId = id;
        void send({ type: 'runCreated', runId: id, runDir, name });
      },
      onEvent: (event, id) => {
        void send({ type: 'event', runId: id, event });
      },
    });
    await send({ type: 'finished', runId: outcome.runId, status: outcome.status, error: outcome.error });
  } catch (error) {
    // Stopped while the dataset was still loading: nothing failed, the user asked for it.
    const status = signal.aborted && runId === undefined ? (hostGone ? 'interrupted' : 'cancelled') : 'failed';
    if (status === 'failed') logError(error);
    await send({ type: 'finished', runId, status, error: status === 'failed' ? errorMessage(error) : undefined });
  }
}

const { controller, started } = serveOneJob(parseToTrainer, start);

// The extension host went away (window reload or close): stop at the next batch so the run folder
// stays consistent; the run ends as interrupted and can be resumed from its last checkpoint.
process.on('disconnect', () => {
  hostGone = true;
  controller.abort();
  // Without a run to finish there is nothing to save.
  if (!started()) process.exit(0);
});

// Another window (or a user's `kill`) asking politely: the same as a stop message.
process.on('SIGTERM', () => {
  if (!started()) process.exit(0);
  controller.abort();
});
