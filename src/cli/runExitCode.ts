// The exit code of a command that trained a run: what scripts and CI read of how the run ended.
import type { RunOutcome } from '../core/runTraining';

/** 0 completed, 1 failed, 130 cancelled, 75 interrupted (stopped by a scheduler; resume it to continue). */
export function runExitCode(status: RunOutcome['status']): number {
  switch (status) {
    case 'completed': return 0;
    case 'failed': return 1;
    case 'cancelled': return 130;
    case 'interrupted': return 75;
  }
}
