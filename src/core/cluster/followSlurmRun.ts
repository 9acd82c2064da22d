// Follows a run's Slurm job until it ends: the run's events as metrics.jsonl grows, the job's state as
// squeue reports it (pending with its reason, running), then the run's end, settled from Slurm if the
// run did not record it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunOutcome } from '../runTraining';
import type { RecordedEvent } from '../runs/recordedEvent';
import type { RunRecord } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { settleSlurmRun } from './settleSlurmRun';
import type { SlurmClient } from './slurmClient';
import { SlurmError } from './slurmError';
import { isJobEnded, type SlurmJobState } from './slurmJobState';

export interface FollowSlurmRunOptions {
  store: RunStore;
  runId: string;
  client: SlurmClient;
  /** Byte offset in metrics.jsonl to read events from; 0 replays the run from its start. */
  metricsOffset?: number;
  /** How often new events are read. Default 1 s. */
  pollMs?: number;
  /** How often Slurm is asked for the job's state (squeue is shared by every user: ask gently). Default 5 s. */
  statePollMs?: number;
  /** Stops following (the job is left alone); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  onEvent?(event: RecordedEvent): void;
  /** Called with the first state and each change of phase, reason or nodes. */
  onJobState?(state: SlurmJobState): void;
  /** Called once when Slurm stops answering (following goes on). */
  onWarning?(message: string): void;
}

export interface FollowedSlurmRun {
  record: RunRecord;
  /** The job's last known state; undefined when Slurm no longer knew it. */
  job?: SlurmJobState;
  outcome: RunOutcome;
}

function sameState(a: SlurmJobState | undefined, b: SlurmJobState): boolean {
  return a !== undefined && a.phase === b.phase && a.reason === b.reason && a.nodes === b.nodes;
}

/** The run's end as the trainer reports it, from its (settled) record. */
export function outcomeOfRecord(record: RunRecord, runDir: string): RunOutcome {
  const { summary } = record;
  const status: RunOutcome['status'] = record.status === 'queued' || record.status === 'running' ? 'interrupted' : record.status;
  return {
    runId: record.id,
    runDir,
    status,
    best: summary.bestEpoch !== undefined && summary.bestValAcc !== undefined ? { epoch: summary.bestEpoch, valAcc: summary.bestValAcc } : null,
    ...(summary.testAcc !== undefined ? { testAcc: summary.testAcc } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
  };
}

/** Resolves once the run's current job has ended and the run's end is recorded. */
export async function followSlurmRun(options: FollowSlurmRunOptions): Promise<FollowedSlurmRun> {
  const { store, runId, client, signal } = options;
  const pollMs = options.pollMs ?? 1000;
  const statePollMs = options.statePollMs ?? 5000;
  const start = await store.read(runId);
  const jobId = start.slurm?.jobId;
  if (!jobId) throw new SlurmError(`Run "${start.name}" was not submitted to Slurm: it has no job to follow.`, 'state');

  let offset = options.metricsOffset ?? 0;
  const readEvents = async () => {
    const chunk = await store.readMetricsFrom(runId, offset);
    offset = chunk.nextOffset;
    for (const event of chunk.events) options.onEvent?.(event);
  };

  let last: SlurmJobState | undefined;
  let lastAskedAt = Number.NEGATIVE_INFINITY;
  let warned = false;
  for (;;) {
    signal?.throwIfAborted();
    await readEvents();
    if (Date.now() - lastAskedAt >= statePollMs) {
      lastAskedAt = Date.now();
      let state: SlurmJobState | undefined;
      let answered = true;
      try {
        state = await client.jobState(jobId);
      } catch (error) {
        if (!(error instanceof SlurmError) || error.kind !== 'unreachable') throw error;
        answered = false;
        if (!warned) options.onWarning?.(`${error.message} Still following; the job is not affected.`);
        warned = true;
      }
      if (answered) {
        if (state && !sameState(last, state)) options.onJobState?.(state);
        if (!state || isJobEnded(state.phase)) {
          last = state ?? last;
          const record = await settleSlurmRun(store, runId, state);
          await readEvents();
          return { record, job: state, outcome: outcomeOfRecord(record, store.runDir(runId)) };
        }
        last = state;
      }
    }
    await sleep(pollMs, undefined, { signal });
  }
}
