// When Slurm requeues a job (node failure, preemption, `scontrol requeue`), its script runs again and finds
// the run still owned by the job's earlier attempt, which Slurm has ended. The new attempt releases the run
// so that training continues from its checkpoint instead of waiting for the old heartbeat to go stale.
import type { RunStore } from '../runs/runStore';

/**
 * Inside a requeued job (SLURM_RESTART_COUNT above 0), marks the run `interrupted` if run.json says this
 * same job still trains it. Returns whether it did.
 */
export async function releaseRunFromEarlierAttempt(store: RunStore, runId: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const jobId = env.SLURM_JOB_ID;
  if (!jobId || !(Number(env.SLURM_RESTART_COUNT) > 0)) return false;
  let released = false;
  await store.editRecord(runId, (raw) => {
    const slurm = raw.slurm as { jobId?: unknown } | undefined;
    if (slurm?.jobId !== jobId || (raw.status !== 'running' && raw.status !== 'queued') || raw.startedAt === undefined) return;
    raw.status = 'interrupted';
    delete raw.process;
    released = true;
  });
  return released;
}
