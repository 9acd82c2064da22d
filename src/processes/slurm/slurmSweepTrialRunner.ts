// Trains a sweep's trials as Slurm jobs through the Slurm executor: each trial is one job, up to
// `capacity` at once (Slurm spreads them over its nodes), followed like any run the executor submits.
// No VS Code API here.
import { RunStore } from '../../core/runs/runStore';
import { canContinueTrialRun, type TrialOutcome, type TrialRequest, type TrialRunner } from '../../core/sweeps/trialRunner';
import { errorMessage } from '../../core/errorMessage';
import type { RunExecutor } from '../runExecutor';

export class SlurmSweepTrialRunner implements TrialRunner {
  /** `executor` submits and follows the jobs (the window's SlurmExecutor); `capacity` is how many trials may be jobs at once. */
  constructor(private readonly executor: RunExecutor, readonly capacity: number) {}

  async run(request: TrialRequest): Promise<TrialOutcome> {
    if (request.signal.aborted) return { ...(request.resumeRunId ? { runId: request.resumeRunId } : {}), status: 'cancelled' };
    let runId: string | undefined;
    try {
      const resumeRunId = request.resumeRunId !== undefined && await canContinueTrialRun(new RunStore(request.runsDir), request.resumeRunId) ? request.resumeRunId : undefined;
      const execution = this.executor.launch({ spec: request.spec, runsDir: request.runsDir, name: request.name, ...(resumeRunId ? { resumeRunId } : {}) }, {
        created: (id) => {
          runId = id;
          request.onRunCreated(id);
        },
      });
      // Stopping cancels the job (scancel); the trial ends once Slurm has ended it.
      const stop = () => void execution.stop().catch(() => undefined);
      request.signal.addEventListener('abort', stop, { once: true });
      try {
        const end = await execution.ended;
        runId = end.runId ?? runId;
        const ids = runId !== undefined ? { runId } : {};
        if (end.status === 'completed') return { ...ids, status: 'completed' };
        if (end.status === 'cancelled' || (end.status === 'interrupted' && request.signal.aborted)) return { ...ids, status: 'cancelled' };
        // A time limit, a failed node or preemption ended the job before the trial finished: the run says why and can be resumed.
        return { ...ids, status: 'failed', ...(end.error !== undefined ? { error: end.error } : {}) };
      } finally {
        request.signal.removeEventListener('abort', stop);
      }
    } catch (error) {
      return { ...(runId !== undefined ? { runId } : {}), status: 'failed', error: errorMessage(error) };
    }
  }
}
