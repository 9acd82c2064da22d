// Inside a Slurm job, SIGTERM is Slurm ending the job (time limit, preemption, scancel, a draining node):
// the run then stops as interrupted, resumable, and whoever follows the job records why from Slurm.

/** A probe for runTraining's `isInterrupted`: true once SIGTERM arrived while running as a Slurm job. */
export function stoppedBySlurm(env: NodeJS.ProcessEnv = process.env): () => boolean {
  let stopped = false;
  if (env.SLURM_JOB_ID) process.once('SIGTERM', () => { stopped = true; });
  return () => stopped;
}
