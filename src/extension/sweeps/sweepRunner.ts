// The sweeps this window runs: starts a new sweep (its folder beside the runs), resumes one whose process
// stopped, stops one as a whole, and says how each ended. The scheduler is the engine's (runSweep); its
// trials go through the window's run queue (QueueTrialRunner), so they wait for a slot like any run, or
// become cluster jobs when the executor sends runs to a cluster.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { metricIsMaximised, type SweepSpec } from '../../core/sweeps/sweepSpec';
import type { SweepRecord } from '../../core/sweeps/sweepRecord';
import { runSweep } from '../../core/sweeps/runSweep';
import { canContinueTrialRun, type TrialRunner } from '../../core/sweeps/trialRunner';
import type { RunsFolder } from '../runsFolder';
import type { TrainingController } from '../training/trainingController';
import type { UserErrors } from '../userErrors';
import { QueueTrialRunner } from './queueTrialRunner';
import { RESUMABLE_SWEEP_STATUSES, sweepValueText } from '../views/sweepPresentation';
import type { SweepsFolder } from './sweepsFolder';

export interface SweepRunnerOptions {
  folder: RunsFolder;
  sweeps: SweepsFolder;
  training: TrainingController;
  /** `classifierLab.concurrentRuns`, read at every decision. */
  concurrency(): number;
  log: vscode.LogOutputChannel;
  errors: UserErrors;
  openSweep(id: string): unknown;
  /**
   * The runner that makes each trial a cluster job (`parallel` at once) when the executor of the moment
   * sends runs to a cluster, else undefined: the trials go through this window's queue. Read when a sweep starts or resumes.
   */
  clusterRunner?(parallel: number): TrialRunner | undefined;
}

interface ActiveSweep {
  controller: AbortController;
  /** Lets go of the sweep's trials as the window closes (queued ones are left to be resumed). */
  release(): void;
  done: Promise<void>;
}

export class SweepRunner implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** A sweep of this window started or ended. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly active = new Map<string, ActiveSweep>();
  /** Queue tickets of trial runs that have no folder yet, with their sweep and trial. */
  private readonly tickets = new Map<number, { sweepId: string; trial: number }>();
  private disposed = false;

  constructor(private readonly options: SweepRunnerOptions) {}

  /** True while this window runs the sweep. */
  isRunning(id: string): boolean {
    return this.active.has(id);
  }

  /** The sweep and trial a queued run belongs to (by its queue ticket). */
  trialOfTicket(ticket: number): { sweepId: string; trial: number } | undefined {
    return this.tickets.get(ticket);
  }

  /** Creates the sweep's folder and starts it; resolves with its id once the folder exists. */
  async start(spec: SweepSpec): Promise<string> {
    const runsDir = this.options.folder.dir;
    if (runsDir === undefined) throw new Error('No runs folder: open a folder first.');
    const store = this.options.sweeps.requireStore();
    const record = await store.create(spec, runsDir);
    this.options.log.info(`Sweep "${record.name}" created in ${store.sweepDir(record.id)}.`);
    this.run(record.id);
    return record.id;
  }

  /** Continues a sweep whose process stopped: unfinished trials first, then the rest of the plan. */
  async resume(id: string): Promise<void> {
    if (this.active.has(id)) return;
    const record = await this.options.sweeps.requireStore().read(id);
    if (record.status === 'completed') throw new Error(`Sweep "${record.name}" has finished: nothing is left to run.`);
    if (!RESUMABLE_SWEEP_STATUSES.includes(record.status)) {
      throw new Error(`Sweep "${record.name}" is still running in process ${record.process?.pid ?? '?'} on ${record.process?.hostname ?? 'another machine'}.`);
    }
    this.options.log.info(`Resuming sweep "${record.name}" (${record.trials.filter((t) => t.status === 'completed' || t.status === 'failed').length} trials finished).`);
    this.run(id);
  }

  /** Stops a sweep this window runs: no new trial starts, running ones stop after their batch. Resolves once it has ended. */
  async stop(id: string): Promise<boolean> {
    const active = this.active.get(id);
    if (!active) return false;
    active.controller.abort();
    await active.done;
    return true;
  }

  /** Resolves once every sweep of this window has ended. */
  async whenIdle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()].map((sweep) => sweep.done));
  }

  /** The window is closing: the sweeps are left as they are (read as interrupted once it is gone) to be resumed. */
  dispose(): void {
    this.disposed = true;
    for (const sweep of this.active.values()) sweep.release();
    this.changeEmitter.dispose();
  }

  private run(id: string): void {
    const { training, sweeps, folder } = this.options;
    const store = sweeps.requireStore();
    const controller = new AbortController();
    // On a cluster, as many trials at once as this window would train runs at once here.
    const cluster = this.options.clusterRunner?.(Math.max(1, this.options.concurrency()));
    const runner = cluster ?? new QueueTrialRunner({
      queue: { start: (request) => training.start(request), stop: (target) => training.stop(target) },
      capacity: () => this.options.concurrency(),
      canResume: (runsDir, runId) => canContinueTrialRun(folder.storeAt(runsDir), runId),
      onQueued: (ticket, request) => this.tickets.set(ticket, { sweepId: request.sweepId, trial: request.trial }),
      onEnded: (ticket) => this.tickets.delete(ticket),
    });
    const changed = () => {
      sweeps.scheduleRefresh();
      if (!this.disposed) this.changeEmitter.fire();
    };
    const done = runSweep({ store, id, runner, signal: controller.signal, onTrialStart: changed, onTrialEnd: changed })
      .then((outcome) => this.announce(outcome.record), (error: unknown) => {
        if (!this.disposed) this.options.errors.show(`Sweep ${id} stopped: ${errorMessage(error)}`, error, ['showLog']);
      })
      .finally(() => {
        this.active.delete(id);
        changed();
      });
    this.active.set(id, { controller, release: () => { if (runner instanceof QueueTrialRunner) runner.release(); }, done });
    changed();
  }

  private announce(record: SweepRecord): void {
    if (this.disposed) return;
    const finished = record.trials.filter((t) => t.status === 'completed').length;
    const failed = record.trials.filter((t) => t.status === 'failed').length;
    const best = record.best ? `; best ${sweepValueText(record.spec.metric, record.best.value)} (trial ${record.best.trial})` : '';
    const failures = failed > 0 ? `, ${failed} failed` : '';
    const open = 'Open Sweep';
    if (record.status === 'cancelled') {
      this.options.log.info(`Sweep "${record.name}" stopped after ${finished} completed trial(s)${failures}${best}.`);
      vscode.window.setStatusBarMessage(`Classifier Lab: sweep "${record.name}" stopped`, 5_000);
      return;
    }
    const why = record.stopReason === 'budget' ? ' (its time budget ran out)' : '';
    const message = `Sweep "${record.name}" finished${why}: ${finished} trial(s) completed${failures}${best}.`;
    this.options.log.info(`${message}${record.best ? ` Best parameters: ${JSON.stringify(record.best.params)} (${metricIsMaximised(record.spec.metric) ? 'highest' : 'lowest'} ${record.spec.metric}).` : ''}`);
    void vscode.window.showInformationMessage(message, open).then((picked) => {
      if (picked === open) this.options.openSweep(record.id);
    });
  }
}
