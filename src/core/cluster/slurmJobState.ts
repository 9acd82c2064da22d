// A Slurm job's state in our words (pending with its reason, running, and each way a job ends), read
// from squeue or sacct output, or from the messages Slurm leaves in the job's output file.

/**
 * `ending`: Slurm is still stopping the job's processes (COMPLETING); every phase after it is final.
 * `unknown`: a state this code does not know (a newer Slurm); treated as still alive.
 */
export type SlurmJobPhase =
  | 'pending' | 'running' | 'suspended' | 'ending'
  | 'completed' | 'failed' | 'cancelled' | 'timeout' | 'nodeFail' | 'outOfMemory' | 'preempted'
  | 'unknown';

export interface SlurmJobState {
  jobId: string;
  phase: SlurmJobPhase;
  /** Slurm's own name for the state, e.g. PENDING, TIMEOUT, NODE_FAIL. */
  slurmState: string;
  /** Why a pending job waits (Resources, Priority, ...) or why it ended, as Slurm says it; absent for "None". */
  reason?: string;
  /** The nodes the job runs or ran on. */
  nodes?: string;
  /** `exit code:signal` of the job script, when the source gives it. */
  exitCode?: string;
  /** Where the state was read: the controller's queue, the accounting database, or the job's output file. */
  source: 'squeue' | 'sacct' | 'jobOutput';
}

const PHASES: Readonly<Record<string, SlurmJobPhase>> = {
  PENDING: 'pending', CONFIGURING: 'pending', REQUEUED: 'pending', REQUEUE_HOLD: 'pending', REQUEUE_FED: 'pending',
  RESV_DEL_HOLD: 'pending', REVOKED: 'cancelled',
  RUNNING: 'running', RESIZING: 'running', SIGNALING: 'running', STAGE_OUT: 'running',
  SUSPENDED: 'suspended', STOPPED: 'suspended',
  COMPLETING: 'ending',
  COMPLETED: 'completed',
  FAILED: 'failed', BOOT_FAIL: 'failed', DEADLINE: 'failed', SPECIAL_EXIT: 'failed',
  CANCELLED: 'cancelled',
  TIMEOUT: 'timeout',
  NODE_FAIL: 'nodeFail',
  OUT_OF_MEMORY: 'outOfMemory',
  PREEMPTED: 'preempted',
};

const ENDED: ReadonlySet<SlurmJobPhase> = new Set(['completed', 'failed', 'cancelled', 'timeout', 'nodeFail', 'outOfMemory', 'preempted']);

/** Our phase for a Slurm state name (squeue's %T, sacct's State, which may read "CANCELLED by 1000"). */
export function phaseOfSlurmState(state: string): SlurmJobPhase {
  const word = state.trim().split(/\s+/, 1)[0].replace(/\+$/, '').toUpperCase();
  return PHASES[word] ?? 'unknown';
}

/** True once the job is over: nothing of it runs any more, and its state will not change. */
export function isJobEnded(phase: SlurmJobPhase): boolean {
  return ENDED.has(phase);
}

function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && trimmed !== 'None' && trimmed !== '(null)' && trimmed !== 'n/a' ? trimmed : undefined;
}

/** The squeue format whose lines `parseSqueueOutput` reads: id, state, reason, nodes. */
export const SQUEUE_FORMAT = '%i|%T|%r|%N';

/** Parses `squeue --noheader --format=SQUEUE_FORMAT` lines. */
export function parseSqueueOutput(text: string): SlurmJobState[] {
  const states: SlurmJobState[] = [];
  for (const line of text.split('\n')) {
    const [jobId, state, reason, nodes] = line.split('|');
    if (!jobId?.trim() || state === undefined) continue;
    const slurmState = state.trim();
    states.push({
      jobId: jobId.trim(), phase: phaseOfSlurmState(slurmState), slurmState,
      reason: optional(reason), nodes: optional(nodes), source: 'squeue',
    });
  }
  return states;
}

/** The sacct fields whose lines `parseSacctOutput` reads. */
export const SACCT_FIELDS = 'JobID,State,ExitCode,Reason,NodeList';

/** Parses `sacct --noheader --parsable2 --allocations --format=SACCT_FIELDS` lines (job steps are skipped). */
export function parseSacctOutput(text: string): SlurmJobState[] {
  const states: SlurmJobState[] = [];
  for (const line of text.split('\n')) {
    const [jobId, state, exitCode, reason, nodes] = line.split('|');
    if (!jobId?.trim() || state === undefined || jobId.includes('.')) continue;
    const slurmState = state.trim().split(/\s+/, 1)[0];
    states.push({
      jobId: jobId.trim(), phase: phaseOfSlurmState(slurmState), slurmState,
      reason: optional(reason), nodes: optional(nodes), exitCode: optional(exitCode), source: 'sacct',
    });
  }
  return states;
}

const CANCELLED_LINE = /\*\*\* JOB (\S+) ON (\S+) CANCELLED AT (\S+)(?: DUE TO ([A-Z ]+?))?(?: \*\*\*|$)/gm;
const OOM_LINE = /oom-kill event|out-of-memory handler|Exceeded job memory limit/gi;

/**
 * The last end slurmstepd wrote into job `jobId`'s output file (`*** JOB 12 ON node1 CANCELLED AT ... DUE TO
 * TIME LIMIT ***`, an oom-kill notice), for when Slurm no longer remembers the job and keeps no accounting.
 * The last message counts: a requeued job's output holds every attempt.
 */
export function stateFromJobOutput(jobId: string, output: string): SlurmJobState | undefined {
  const cancelled = [...output.matchAll(CANCELLED_LINE)].filter((found) => found[1] === jobId).at(-1);
  const oom = [...output.matchAll(OOM_LINE)].at(-1);
  if (oom && (!cancelled || (oom.index ?? 0) > (cancelled.index ?? 0))) {
    return { jobId, phase: 'outOfMemory', slurmState: 'OUT_OF_MEMORY', reason: 'OutOfMemory', source: 'jobOutput' };
  }
  if (!cancelled) return undefined;
  const nodes = cancelled[2];
  switch (cancelled[4]) {
    case 'TIME LIMIT':
      return { jobId, phase: 'timeout', slurmState: 'TIMEOUT', reason: 'TimeLimit', nodes, source: 'jobOutput' };
    case 'NODE FAILURE':
      return { jobId, phase: 'nodeFail', slurmState: 'NODE_FAIL', reason: 'NodeFail', nodes, source: 'jobOutput' };
    case 'PREEMPTION':
      return { jobId, phase: 'preempted', slurmState: 'PREEMPTED', reason: 'Preemption', nodes, source: 'jobOutput' };
    default:
      return { jobId, phase: 'cancelled', slurmState: 'CANCELLED', nodes, source: 'jobOutput' };
  }
}

/** One line for people: "queued on Slurm: Resources", "running on node7 (Slurm job 12)", "timed out". */
export function describeJobState(state: SlurmJobState): string {
  const job = `Slurm job ${state.jobId}`;
  switch (state.phase) {
    case 'pending': return `queued on Slurm${state.reason ? `: ${state.reason}` : ''} (${job})`;
    case 'running': return `running${state.nodes ? ` on ${state.nodes}` : ''} (${job})`;
    case 'suspended': return `suspended by Slurm (${job})`;
    case 'ending': return `ending (${job})`;
    case 'completed': return `${job} completed`;
    case 'failed': return `${job} failed${state.exitCode ? ` (exit code ${state.exitCode})` : ''}${state.reason ? `: ${state.reason}` : ''}`;
    case 'cancelled': return `${job} was cancelled`;
    case 'timeout': return `${job} reached its time limit`;
    case 'nodeFail': return `${job}'s node${state.nodes ? ` ${state.nodes}` : ''} failed`;
    case 'outOfMemory': return `${job} ran out of memory`;
    case 'preempted': return `${job} was preempted`;
    case 'unknown': return `${job} is ${state.slurmState}`;
  }
}
