// Trains runs as Slurm jobs: submits each one (a new run, or a resumed one from its checkpoint) with
// sbatch, then follows it through the runs folder's owner, whose polls tell new metrics lines, new job
// states and the run's settled end, rather than polling on its own. Stop is scancel. The cluster queues
// the jobs, so they take no local slot. No VS Code API here.
import { followSlurmRun, outcomeOfRecord } from '../../core/cluster/followSlurmRun';
import type { SlurmClient } from '../../core/cluster/slurmClient';
import { describeJobState, type SlurmJobState } from '../../core/cluster/slurmJobState';
import type { SlurmOptions } from '../../core/cluster/slurmOptions';
import { submitSlurmRun } from '../../core/cluster/submitSlurmRun';
import type { BackendPreference } from '../../core/backend/selectBackend';
import { errorMessage } from '../../core/errorMessage';
import type { RunFileChange } from '../../core/runs/runLayout';
import type { RunRecord } from '../../core/runs/runRecord';
import { RunStore } from '../../core/runs/runStore';
import type { ExecutionListener, RunEnd, RunExecution, RunExecutor, RunRequest } from '../runExecutor';

interface Subscription {
  dispose(): unknown;
}

/** The runs folder's owner as a Slurm run is followed through it (in the extension: RunsFolder). */
export interface SlurmRunSource {
  /** The folder it follows now. */
  readonly dir: string | undefined;
  /** The run as last read. */
  record(runId: string): RunRecord | undefined;
  /** The state Slurm last gave for the run's job, while the run is not settled. */
  jobState(runId: string): SlurmJobState | undefined;
  /** The runs were read again and some changed, or a job's state changed. */
  onDidChangeRuns(listener: () => unknown): Subscription;
  /** A file of a run changed (metrics.jsonl grew). */
  onDidChangeRunFile(listener: (change: RunFileChange) => unknown): Subscription;
  /** Reads the folder soon. */
  scheduleRefresh(): void;
}

/** What a submission asks of Slurm, read when a run is launched. */
export interface SlurmExecutorConfig {
  options: SlurmOptions;
  /** How a job starts our CLI: node, its flags, the CLI script (absolute paths the compute nodes reach). */
  cliCommand: readonly string[];
  backend?: BackendPreference;
  /** How the user picks another runs folder, named when this one cannot take a run. */
  runsFolderHint?: string;
}

export interface SlurmExecutorDependencies {
  source: SlurmRunSource;
  client: SlurmClient;
  config(): SlurmExecutorConfig;
}

export class SlurmExecutor implements RunExecutor {
  readonly usesLocalSlot = false;

  constructor(private readonly dependencies: SlurmExecutorDependencies) {}

  launch(request: RunRequest, listener: ExecutionListener): SlurmExecution {
    return new SlurmExecution(request, listener, this.dependencies.source, this.dependencies.client, this.dependencies.config());
  }

  /** Cancels the job that trains `record` (scancel); the run reads cancelled once Slurm has ended the job and the folder's poll settled it. */
  async cancel(record: RunRecord): Promise<void> {
    const jobId = record.slurm?.jobId;
    if (!jobId || record.slurm?.state !== undefined) throw new Error(`Run "${record.name}" has no Slurm job that is still queued or running.`);
    await this.dependencies.client.cancel(jobId);
    this.dependencies.source.scheduleRefresh();
  }
}

/** One run submitted as a Slurm job, from sbatch to its settled end. */
export class SlurmExecution implements RunExecution {
  readonly pid = undefined;
  readonly ended: Promise<RunEnd>;
  private resolveEnded: (end: RunEnd) => void = () => undefined;
  private readonly store: RunStore;
  private runId?: string;
  private jobId?: string;
  private name: string;
  private metricsOffset = 0;
  private reading: Promise<void> = Promise.resolve();
  private subscriptions: Subscription[] = [];
  private followingAlone?: AbortController;
  private shownState = '';
  private stopRequested = false;
  private finished = false;

  constructor(
    private readonly request: RunRequest,
    private readonly listener: ExecutionListener,
    private readonly source: SlurmRunSource,
    private readonly client: SlurmClient,
    private readonly config: SlurmExecutorConfig,
  ) {
    this.store = new RunStore(request.runsDir);
    this.runId = request.resumeRunId;
    this.name = request.name ?? request.resumeRunId ?? 'run';
    this.ended = new Promise((resolve) => { this.resolveEnded = resolve; });
    void this.submit();
  }

  /** Cancels the job (scancel; before it exists, as soon as it does). Resolves once the run's end is recorded; rejects when scancel fails. */
  async stop(): Promise<RunEnd> {
    if (!this.stopRequested && !this.finished) {
      this.stopRequested = true;
      if (this.jobId !== undefined) await this.cancelJob();
    }
    return this.ended;
  }

  /** The window is going away: the job goes on, and the runs folder follows it when the window is back. */
  detach(): void {
    this.finish({ status: 'interrupted', killed: false, ...(this.runId !== undefined ? { runId: this.runId } : {}) });
  }

  private async submit(): Promise<void> {
    const { request, config } = this;
    this.listener.state?.('submitting to Slurm…');
    let submitted: Awaited<ReturnType<typeof submitSlurmRun>>;
    try {
      submitted = await submitSlurmRun({
        store: this.store, client: this.client,
        run: request.resumeRunId !== undefined ? { resumeRunId: request.resumeRunId } : { spec: request.spec, name: request.name },
        options: config.options, backend: config.backend, cliCommand: config.cliCommand, runsFolderHint: config.runsFolderHint,
      });
    } catch (error) {
      this.finish({ status: 'failed', killed: false, notStarted: true, error: errorMessage(error), ...(this.runId !== undefined ? { runId: this.runId } : {}) });
      return;
    }
    const { runId, jobId } = submitted;
    this.runId = runId;
    this.jobId = jobId;
    this.metricsOffset = submitted.metricsOffset;
    if (this.finished) return;
    const record = await this.store.read(runId).catch(() => undefined);
    this.name = record?.name ?? this.name;
    this.listener.output?.(`"${this.name}" submitted to Slurm as job ${jobId}; its job script is ${submitted.script}`, 'info');
    this.listener.created?.(runId, this.name);
    this.listener.state?.(`submitted to Slurm (job ${jobId})`);
    if (this.stopRequested) await this.cancelJob().catch(() => undefined);
    this.follow();
  }

  private async cancelJob(): Promise<void> {
    const jobId = this.jobId!;
    try {
      await this.client.cancel(jobId);
    } catch (error) {
      this.stopRequested = false;
      throw error;
    }
    this.listener.output?.(`"${this.name}": cancelled Slurm job ${jobId} (scancel); the run ends once Slurm has stopped it.`, 'info');
    this.source.scheduleRefresh();
  }

  private follow(): void {
    if (this.source.dir !== this.request.runsDir) {
      this.followAlone();
      return;
    }
    this.subscriptions.push(
      this.source.onDidChangeRunFile((change) => {
        if (change.runId === this.runId && change.kind === 'metrics') void this.readEvents();
      }),
      this.source.onDidChangeRuns(() => this.look()),
    );
    // The folder reads the new run soon (its watcher or poll would too), and asks Slurm about its job.
    this.source.scheduleRefresh();
    this.look();
  }

  /** After the folder changed: a new job state, the run's end, or the folder moved elsewhere. */
  private look(): void {
    if (this.finished) return;
    if (this.source.dir !== this.request.runsDir) {
      this.unsubscribe();
      this.followAlone();
      return;
    }
    const runId = this.runId!;
    const state = this.source.jobState(runId);
    if (state && state.jobId === this.jobId) this.tellState(state);
    const record = this.source.record(runId);
    const settled = record?.slurm?.jobId === this.jobId && record?.slurm?.state !== undefined;
    void this.readEvents().then(() => {
      if (settled && record) this.finishWith(record);
    });
  }

  /**
   * The runs folder moved away from the run's folder (a setting changed): follow the job on its own until
   * it ends, as the command line does.
   */
  private followAlone(): void {
    if (this.finished || this.followingAlone) return;
    this.followingAlone = new AbortController();
    const offset = this.metricsOffset;
    void this.reading.then(() => followSlurmRun({
      store: this.store, runId: this.runId!, client: this.client, metricsOffset: Math.max(offset, this.metricsOffset),
      signal: this.followingAlone!.signal,
      onEvent: (event) => this.listener.event?.(event),
      onJobState: (state) => this.tellState(state),
      onWarning: (message) => this.listener.output?.(message, 'warn'),
    })).then((followed) => this.finishWith(followed.record), (error: unknown) => {
      if (this.finished) return;
      this.finish({ status: 'failed', killed: false, runId: this.runId, error: `Lost track of Slurm job ${this.jobId}: ${errorMessage(error)}` });
    });
  }

  private tellState(state: SlurmJobState): void {
    const text = describeJobState(state);
    if (text === this.shownState) return;
    this.shownState = text;
    this.listener.output?.(`"${this.name}": ${text}`, 'info');
    this.listener.state?.(text);
  }

  /** Hands on the metrics.jsonl lines written since the last read, one read at a time. */
  private readEvents(): Promise<void> {
    const runId = this.runId;
    if (runId === undefined) return this.reading;
    this.reading = this.reading.then(async () => {
      if (this.finished || this.followingAlone) return;
      const chunk = await this.store.readMetricsFrom(runId, this.metricsOffset).catch(() => undefined);
      if (!chunk || this.finished) return;
      this.metricsOffset = chunk.nextOffset;
      for (const event of chunk.events) this.listener.event?.(event);
    });
    return this.reading;
  }

  private finishWith(record: RunRecord): void {
    const outcome = outcomeOfRecord(record, this.store.runDir(record.id));
    this.finish({ status: outcome.status, runId: record.id, killed: false, ...(outcome.error !== undefined ? { error: outcome.error } : {}) });
  }

  private finish(end: RunEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.unsubscribe();
    this.followingAlone?.abort();
    this.listener.state?.(undefined);
    this.resolveEnded(end);
  }

  private unsubscribe(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}
