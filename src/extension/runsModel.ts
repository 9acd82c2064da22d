// The runs the Experiments view shows: the runs folder (re-read when its files change, so runs the CLI
// starts appear live), merged with this window's queue and live progress.
import { readdir, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { datasetLabel } from '../core/runs/defaultRunName';
import type { RunRecord } from '../core/runs/runRecord';
import { classifyRunPath } from '../core/runs/runLayout';
import { RunStore } from '../core/runs/runStore';
import type { RunEntry } from './runEntry';
import type { TrainingController } from './trainingController';

/** File events come in bursts (an epoch rewrites several files): wait this long for the burst to end. */
const DEBOUNCE_MS = 200;
/** While a run trained elsewhere reads as live, re-read this often: a killed process writes nothing. */
const LIVE_POLL_MS = 5_000;
/** While the runs folder does not exist, look for it this often. */
const MISSING_POLL_MS = 3_000;
/**
 * File watchers can miss events or die (the remote file watcher restarts under load), so the folder's
 * listing is also compared this often: a run folder the CLI created still shows up.
 */
const LISTING_POLL_MS = 5_000;
/** Live progress redraws the view at most this often. */
const PROGRESS_REDRAW_MS = 500;

export class RunsModel implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after the entries changed. */
  readonly onDidChange = this.changeEmitter.event;
  private records: RunRecord[] = [];
  private loadedDir: string | undefined;
  private loaded = false;
  private watcher?: vscode.Disposable;
  private watchedDir?: string;
  /** Whether the folder existed when the watcher was made (a watcher of a missing folder may never fire). */
  private watchedExisting = false;
  private debounce?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private redraw?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  /** Run folder names at the last read, to notice folders a missed watcher event did not report. */
  private listing = '';
  private refreshAgain = false;
  private trainingShape = '';
  private readonly reportedUnreadable = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly runsDir: () => string | undefined,
    private readonly training: TrainingController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(training.onDidChange(() => this.trainingChanged()));
  }

  /** True once the runs folder has been read at least once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Runs on disk (with this window's live progress) and runs waiting in this window's queue. */
  entries(): RunEntry[] {
    const queued = this.training.queued();
    const resumeTickets = new Map(queued.filter((q) => q.request.resumeRunId).map((q) => [q.request.resumeRunId!, q.ticket]));
    const known = new Set(this.records.map((record) => record.id));
    const entries: RunEntry[] = this.records.map((record) => ({
      kind: 'run', record,
      progress: this.training.progressOf(record.id),
      trainedHere: this.training.isTrainingHere(record.id),
      ...(resumeTickets.has(record.id) ? { resumeTicket: resumeTickets.get(record.id) } : {}),
    }));
    const waiting = [...this.training.starting().map((run) => ({ run, starting: true })), ...queued.map((run) => ({ run, starting: false }))];
    for (const { run, starting } of waiting) {
      if (run.request.resumeRunId && known.has(run.request.resumeRunId)) continue;
      entries.push({
        kind: 'queued', ticket: run.ticket, request: run.request, queuedAt: run.queuedAt, starting,
        name: run.request.name ?? `${run.request.spec.model.kind}-${datasetLabel(run.request.spec.data.path)}`,
      });
    }
    return entries;
  }

  record(runId: string): RunRecord | undefined {
    return this.records.find((record) => record.id === runId);
  }

  /** Re-reads the runs folder now (coalescing calls that arrive while a read is going on). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.readAll().finally(() => {
      this.refreshing = undefined;
      if (this.refreshAgain && !this.disposed) {
        this.refreshAgain = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  /** Re-reads soon; bursts of calls make one read. */
  scheduleRefresh(): void {
    if (this.disposed) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
  }

  /** The runs folder setting (or the workspace) changed: re-read (and watch) the new folder. */
  runsDirChanged(): void {
    void this.refresh();
  }

  /** Reads the folder for the first time and starts watching it. */
  start(): Promise<void> {
    return this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.debounce);
    clearTimeout(this.poll);
    clearTimeout(this.redraw);
    this.watcher?.dispose();
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
    this.changeEmitter.dispose();
  }

  private trainingChanged(): void {
    // A run queued, started, created or ended: re-read the folder. Progress alone only redraws.
    const shape = JSON.stringify([this.training.trainingRunIds(), this.training.starting().map((run) => run.ticket), this.training.queued().map((run) => run.ticket)]);
    if (shape !== this.trainingShape) {
      this.trainingShape = shape;
      this.scheduleRefresh();
    }
    if (this.redraw) return;
    this.redraw = setTimeout(() => {
      this.redraw = undefined;
      if (!this.disposed) this.changeEmitter.fire();
    }, PROGRESS_REDRAW_MS);
  }

  private watch(existing = false): void {
    const dir = this.runsDir();
    if (dir === this.watchedDir && this.watcher && (this.watchedExisting || !existing)) return;
    this.watcher?.dispose();
    this.watcher = undefined;
    this.watchedDir = dir;
    this.watchedExisting = existing;
    if (dir === undefined) return;
    const pattern = new vscode.RelativePattern(vscode.Uri.file(dir), '**/*');
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onFile = (uri: vscode.Uri) => {
      const rel = relative(dir, uri.fsPath);
      if (rel.startsWith('..')) return;
      // A run folder appearing or going (one path segment), or a file of a run that matters to the view.
      const isRunFolder = rel.length > 0 && !rel.includes('/') && !rel.includes('\\') && !rel.startsWith('.');
      if (rel === '' || isRunFolder || classifyRunPath(rel)?.kind === 'record') this.scheduleRefresh();
    };
    this.watcher = vscode.Disposable.from(watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile));
  }

  private async readAll(): Promise<void> {
    const dir = this.runsDir();
    let records: RunRecord[] = [];
    let exists = false;
    if (dir !== undefined) {
      exists = await stat(dir).then((s) => s.isDirectory(), () => false);
      if (exists) {
        this.listing = await listRunFolders(dir);
        try {
          const listing = await new RunStore(dir).scan();
          records = listing.runs;
          for (const bad of listing.unreadable) {
            if (this.reportedUnreadable.has(bad.id)) continue;
            this.reportedUnreadable.add(bad.id);
            this.log.warn(`Run folder ${bad.runDir} is left out: ${bad.reason}`);
          }
        } catch (error) {
          this.log.error(`Could not read the runs folder ${dir}: ${error instanceof Error ? error.message : String(error)}`);
          records = this.loadedDir === dir ? this.records : [];
        }
      }
    }
    if (this.disposed) return;
    // Also when the folder appeared since the watcher was made (the first run created it).
    if (dir === this.runsDir()) this.watch(exists);
    const changed = !this.loaded || this.loadedDir !== dir || JSON.stringify(records) !== JSON.stringify(this.records);
    this.records = records;
    this.loadedDir = dir;
    this.loaded = true;
    this.schedulePoll(dir, exists);
    if (changed) this.changeEmitter.fire();
  }

  private schedulePoll(dir: string | undefined, exists: boolean): void {
    clearTimeout(this.poll);
    this.poll = undefined;
    if (dir === undefined) return;
    if (!exists) {
      // Watchers of a folder that does not exist yet are not reliable everywhere: look for it now and then.
      this.poll = setTimeout(() => {
        void stat(dir).then(() => this.refresh(), () => this.schedulePoll(dir, false));
      }, MISSING_POLL_MS);
      return;
    }
    const liveElsewhere = this.records.some((r) => (r.status === 'running' || r.status === 'queued') && !this.training.isTrainingHere(r.id));
    if (liveElsewhere) {
      this.poll = setTimeout(() => void this.refresh(), LIVE_POLL_MS);
      return;
    }
    this.poll = setTimeout(() => {
      void listRunFolders(dir).then((listing) => {
        if (this.disposed || dir !== this.runsDir()) return;
        if (listing !== this.listing) void this.refresh();
        else this.schedulePoll(dir, true);
      });
    }, LISTING_POLL_MS);
  }
}

/** The names of the folders in the runs folder, as one comparable string ('' when it cannot be read). */
async function listRunFolders(dir: string): Promise<string> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort().join('\n');
  } catch {
    return '';
  }
}
