// The Slurm jobs of a runs folder's runs: their states, asked of Slurm in one squeue call per look, and
// the end of each run whose job has ended, settled into its run.json. The runs folder's owner calls
// `check` from its own poll; nothing here keeps a timer or reads the folder itself. No VS Code API here.
import { isSlurmRunUnsettled, settleSlurmRun } from '../../core/cluster/settleSlurmRun';
import type { SlurmClient } from '../../core/cluster/slurmClient';
import { SlurmError } from '../../core/cluster/slurmError';
import { isJobEnded, type SlurmJobState } from '../../core/cluster/slurmJobState';
import { errorMessage } from '../../core/errorMessage';
import type { RunRecord } from '../../core/runs/runRecord';
import type { RunStore } from '../../core/runs/runStore';

/** What a look changed: nothing, only job states (views redraw), or a run.json (the folder is read again). */
export type JobCheckResult = 'none' | 'states' | 'settled';

export interface SlurmJobWatchOptions {
  client: SlurmClient;
  /** Slurm is asked at most this often (squeue serves every user of the cluster), unless a job it was never asked about appears. Default 3 s. */
  minIntervalMs?: number;
  /** Once Slurm's commands were not found here, they are looked for again after this long. Default 60 s. */
  notInstalledRetryMs?: number;
  /** A problem worth a line in the log; told once until Slurm answers again. */
  onWarning?(message: string): void;
}

function sameState(a: SlurmJobState | undefined, b: SlurmJobState): boolean {
  return a !== undefined && a.jobId === b.jobId && a.phase === b.phase && a.reason === b.reason && a.nodes === b.nodes;
}

export class SlurmJobWatch {
  /** The latest state of each unsettled run's job, by run id. */
  private readonly states = new Map<string, SlurmJobState>();
  private readonly asked = new Set<string>();
  private lastAskedAt = Number.NEGATIVE_INFINITY;
  private checking = false;
  private notInstalledUntil = 0;
  private warned = false;

  constructor(private readonly options: SlurmJobWatchOptions) {}

  get client(): SlurmClient {
    return this.options.client;
  }

  /** True while the run's job is worth following: submitted, not settled yet, and Slurm's commands are here to ask. */
  follows(record: RunRecord): boolean {
    return isSlurmRunUnsettled(record) && Date.now() >= this.notInstalledUntil;
  }

  /** The last state Slurm gave for the job that trains run `runId` (undefined before the first answer, and once the run is settled). */
  jobState(runId: string): SlurmJobState | undefined {
    return this.states.get(runId);
  }

  /**
   * Looks at `records` (the folder as just read): asks Slurm about the jobs of those not settled yet (one
   * squeue call), keeps their states, and settles each run whose job has ended. Calls while one runs, and
   * calls sooner than `minIntervalMs` after the last question that bring no new job, ask nothing.
   */
  async check(store: RunStore, records: readonly RunRecord[]): Promise<JobCheckResult> {
    const unsettled = records.filter(isSlurmRunUnsettled);
    let changed = false;
    for (const [runId, state] of this.states) {
      if (!unsettled.some((record) => record.id === runId && record.slurm.jobId === state.jobId)) {
        this.states.delete(runId);
        changed = true;
      }
    }
    const quiet: JobCheckResult = changed ? 'states' : 'none';
    const now = Date.now();
    if (unsettled.length === 0 || this.checking || now < this.notInstalledUntil) return quiet;
    const minIntervalMs = this.options.minIntervalMs ?? 3_000;
    if (now - this.lastAskedAt < minIntervalMs && unsettled.every((record) => this.asked.has(record.slurm.jobId))) return quiet;

    this.checking = true;
    this.lastAskedAt = now;
    try {
      let answers: Map<string, SlurmJobState>;
      try {
        answers = await this.options.client.queryJobs(unsettled.map((record) => record.slurm.jobId));
      } catch (error) {
        if (error instanceof SlurmError && error.kind === 'notInstalled') this.notInstalledUntil = Date.now() + (this.options.notInstalledRetryMs ?? 60_000);
        if (!this.warned) this.options.onWarning?.(`Could not ask Slurm how the jobs of ${unsettled.length} run(s) stand: ${errorMessage(error)}`);
        this.warned = true;
        return quiet;
      }
      this.warned = false;
      let settled = false;
      for (const record of unsettled) {
        const jobId = record.slurm.jobId;
        this.asked.add(jobId);
        const state = answers.get(jobId);
        if (state && !sameState(this.states.get(record.id), state)) {
          this.states.set(record.id, state);
          changed = true;
        }
        if (state && !isJobEnded(state.phase)) continue;
        try {
          const after = await settleSlurmRun(store, record.id, state);
          if (!isSlurmRunUnsettled(after)) settled = true;
        } catch (error) {
          this.options.onWarning?.(`Could not record how Slurm job ${jobId} of run ${record.id} ended: ${errorMessage(error)}`);
        }
      }
      return settled ? 'settled' : changed ? 'states' : 'none';
    } finally {
      this.checking = false;
    }
  }
}
