// The sweeps folder beside the window's runs folder (`.classifier-lab/sweeps`) and the one owner of its
// listing: read when the runs folder moves or its runs change (a sweep's trials are runs, and sweep.json is
// rewritten as they start and end), when this window's sweeps report progress, and, while a sweep of
// another process reads as running, every few seconds (its last write follows its last run's end, and a
// dead owner shows only as time passing). Views and tabs follow onDidChangeSweeps.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import type { SweepRecord } from '../../core/sweeps/sweepRecord';
import { SweepStore, sweepsDirFor } from '../../core/sweeps/sweepStore';
import type { RunsFolder } from '../runsFolder';
import { SerialRead } from '../serialRead';

/** Bursts of changes make one read, at most this often. */
const COALESCE_MS = 150;
/** While a sweep of another process reads as running, the folder is read this often. */
const LIVE_POLL_MS = 5_000;

export class SweepsFolder implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** A sweep appeared, went, or its sweep.json changed; or the folder moved. */
  readonly onDidChangeSweeps = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private records: SweepRecord[] = [];
  private loaded = false;
  private listed = '';
  private sweepStore?: SweepStore;
  private timer?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private readonly reads = new SerialRead(() => this.read(), () => this.disposed);
  private readonly reportedUnreadable = new Set<string>();
  private disposed = false;

  /** `ownsRunning(id)`: this window runs the sweep (its progress comes by scheduleRefresh, not polls). */
  constructor(private readonly folder: RunsFolder, private readonly log: vscode.LogOutputChannel, private readonly ownsRunning: (id: string) => boolean = () => false) {
    this.subscriptions = [folder.onDidChangeRuns(() => this.scheduleRefresh())];
    if (folder.isLoaded) this.scheduleRefresh();
  }

  /** `<runs folder>/../sweeps`, absolute; undefined when no folder is open. */
  get dir(): string | undefined {
    return this.folder.dir === undefined ? undefined : sweepsDirFor(this.folder.dir);
  }

  get store(): SweepStore | undefined {
    const dir = this.dir;
    if (dir === undefined) return undefined;
    if (this.sweepStore?.sweepsDir !== dir) this.sweepStore = new SweepStore(dir);
    return this.sweepStore;
  }

  requireStore(): SweepStore {
    const store = this.store;
    if (!store) throw new Error('No runs folder: open a folder first.');
    return store;
  }

  /** Newest first, as last read (a sweep whose process died reads as interrupted). */
  get sweeps(): readonly SweepRecord[] {
    return this.records;
  }

  /** True once the folder has been read at least once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  sweep(id: string): SweepRecord | undefined {
    return this.records.find((record) => record.id === id);
  }

  /** The sweep whose trials include this run. */
  sweepOfRun(runId: string): SweepRecord | undefined {
    return this.records.find((record) => record.trials.some((trial) => trial.runId === runId));
  }

  /** Reads the folder soon; bursts of calls make one read. */
  scheduleRefresh(): void {
    if (this.disposed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, COALESCE_MS);
  }

  /** Reads the folder now (a call during a read makes one more read). */
  refresh(): Promise<void> {
    return this.reads.run();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.poll);
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
    this.changeEmitter.dispose();
  }

  private async read(): Promise<void> {
    const store = this.store;
    let records: SweepRecord[] = [];
    if (store) {
      try {
        const listing = await store.list();
        records = listing.sweeps;
        for (const bad of listing.unreadable) {
          if (this.reportedUnreadable.has(bad.id)) continue;
          this.reportedUnreadable.add(bad.id);
          this.log.warn(`Sweep folder ${bad.id} is left out: ${bad.reason}`);
        }
      } catch (error) {
        this.log.error(`Could not read the sweeps folder ${store.sweepsDir}: ${errorMessage(error)}`);
        records = this.records;
      }
    }
    if (this.disposed) return;
    clearTimeout(this.poll);
    if (records.some((record) => record.status === 'running' && !this.ownsRunning(record.id))) {
      this.poll = setTimeout(() => void this.refresh(), LIVE_POLL_MS);
    }
    // updatedAt changes with every heartbeat; it alone is no news.
    const listed = JSON.stringify([this.dir, records.map(({ updatedAt: _updatedAt, ...rest }) => rest)]);
    this.records = records;
    const first = !this.loaded;
    this.loaded = true;
    if (listed === this.listed && !first) return;
    this.listed = listed;
    this.changeEmitter.fire();
  }
}
