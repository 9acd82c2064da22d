// The runs folder of this window and the one owner of everything about it: where it is (the setting,
// the workspace folder, workspace trust), its run store, the one file watcher on it, and the one policy
// for noticing change (watcher events coalesced, polls where watchers fall short; the Slurm jobs of its
// runs asked about and settled on the same polls). The Experiments view, dashboards, commands, training
// and classification read runs through it and follow its events.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import type { RunRecord } from '../core/runs/runRecord';
import { classifyRunPath, runPaths, type RunFileChange, type RunFileKind } from '../core/runs/runLayout';
import { RunStore } from '../core/runs/runStore';
import type { SlurmJobState } from '../core/cluster/slurmJobState';
import type { SlurmJobWatch } from '../processes/slurm/slurmJobWatch';
import { currentRunsDir } from './settings';

export type { RunFileChange } from '../core/runs/runLayout';

/** Watcher events come in bursts (an epoch writes several files): changes are handed on together, at most this often. */
const COALESCE_MS = 100;
/** While a run reads as live, its files are looked at this often: watchers miss changes (folders outside the workspace, network drives). */
const LIVE_FILES_POLL_MS = 1_000;
/** While a run reads as live, the folder is re-read this often: a killed trainer writes nothing, and its run reads as interrupted. */
const LIVE_RECORDS_POLL_MS = 5_000;
/** Otherwise the folder's listing is compared this often: watchers can miss a run folder the command line created. */
const LISTING_POLL_MS = 5_000;
/** While the folder does not exist, it is looked for this often. */
const MISSING_POLL_MS = 3_000;

/** The files views follow, in the order their changes are handed on (epochs refer to matrices and records). */
const FOLLOWED_KINDS: readonly RunFileKind[] = ['metrics', 'record', 'confusion', 'predictions', 'bestModel'];

/** A change stamp for one kind of a run's files: modification time and size, the matrices' names, or 'none'. */
async function stampOf(runDir: string, kind: RunFileKind): Promise<string> {
  const paths = runPaths(runDir);
  if (kind === 'confusion') return readdir(paths.confusionDir).then((names) => names.sort().join('|'), () => 'none');
  const file = kind === 'record' ? paths.record : kind === 'metrics' ? paths.metrics : kind === 'predictions' ? paths.predictions : join(paths.bestModelDir, 'model.json');
  return stat(file).then((s) => `${s.mtimeMs}:${s.size}`, () => 'none');
}

/** The names of the run folders, as one comparable string ('' when the folder cannot be read). */
async function listRunFolders(dir: string): Promise<string> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort().join('\n');
  } catch {
    return '';
  }
}

export class RunsFolder implements vscode.Disposable {
  private readonly runsEmitter = new vscode.EventEmitter<void>();
  private readonly fileEmitter = new vscode.EventEmitter<RunFileChange>();
  /** The list of runs changed (a run appeared, went, or its run.json changed), or the folder moved. */
  readonly onDidChangeRuns = this.runsEmitter.event;
  /** A file of one run changed; run.json changes are told after the list has been re-read (also a run that reads differently, e.g. its trainer died). */
  readonly onDidChangeRunFile = this.fileEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private location: string | undefined;
  private runStore?: RunStore;
  private records: RunRecord[] = [];
  private loadedDir?: string;
  private loaded = false;
  private watcher?: vscode.Disposable;
  private watchedDir?: string;
  /** Whether the folder existed when the watcher was made (a watcher of a missing folder may never fire). */
  private watchedExisting = false;
  private listing = '';
  private readonly stamps = new Map<string, string>();
  /** Changes seen since the last flush; `polled`: seen by a poll, not a watcher (a poll's first look only learns the stamp). */
  private readonly candidates = new Map<string, { change: RunFileChange; polled: boolean }>();
  private rescanWanted = false;
  /** Runs whose run.json changed on disk since the last read: told with those the read finds changed. */
  private readonly recordsChanged = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  private filesPoll?: NodeJS.Timeout;
  private folderPoll?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private nextRefresh?: Promise<void>;
  private readonly reportedUnreadable = new Set<string>();
  private disposed = false;

  /** `locate` says where the folder is; it is asked again on `relocate()`. `jobs` follows the Slurm jobs of its runs. */
  constructor(private readonly locate: () => string | undefined, private readonly log: vscode.LogOutputChannel, private readonly jobs?: SlurmJobWatch) {
    this.location = locate();
  }

  /** The window's runs folder: `classifierLab.runsFolder` below the first workspace folder, following the setting, the folders and trust. */
  static forWindow(log: vscode.LogOutputChannel, jobs?: SlurmJobWatch): RunsFolder {
    const folder = new RunsFolder(currentRunsDir, log, jobs);
    folder.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('classifierLab.runsFolder')) folder.relocate();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => folder.relocate()),
      // Trusting the workspace makes its own settings (e.g. its runs folder) count.
      vscode.workspace.onDidGrantWorkspaceTrust(() => folder.relocate()),
    );
    return folder;
  }

  /** The absolute folder, or undefined when no folder is open. */
  get dir(): string | undefined {
    return this.location;
  }

  /** The store of the folder, or undefined when no folder is open. */
  get store(): RunStore | undefined {
    if (this.location === undefined) return undefined;
    if (this.runStore?.runsDir !== this.location) this.runStore = new RunStore(this.location);
    return this.runStore;
  }

  /** A store for `runsDir`: this folder's own when it is this folder (a run keeps the folder it was started in). */
  storeAt(runsDir: string): RunStore {
    const store = this.store;
    return store?.runsDir === runsDir ? store : new RunStore(runsDir);
  }

  /** The store, or an error that tells the user what to do. */
  requireStore(): RunStore {
    const store = this.store;
    if (!store) throw new Error('No runs folder: open a folder first.');
    return store;
  }

  /** True once the folder has been read at least once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** The runs as last read, in the store's order. */
  get runs(): readonly RunRecord[] {
    return this.records;
  }

  record(runId: string): RunRecord | undefined {
    return this.records.find((record) => record.id === runId);
  }

  /** The state Slurm last gave for the job that trains run `runId`, while the run is not settled. */
  jobState(runId: string): SlurmJobState | undefined {
    return this.jobs?.jobState(runId);
  }

  /** Looks up where the folder is now (a setting, the workspace or trust changed) and reads it. */
  relocate(): void {
    this.location = this.locate();
    this.log.info(`Runs folder: ${this.location ?? '(none: no folder is open)'}`);
    void this.refresh();
  }

  /** Re-reads the folder now (calls that arrive during a read make one more read). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      // The read under way may have begun before the caller's change: answer with the read after it (one for all callers).
      this.nextRefresh ??= this.refreshing.catch(() => undefined).then(() => {
        this.nextRefresh = undefined;
        return this.disposed ? undefined : this.refresh();
      });
      return this.nextRefresh;
    }
    this.refreshing = this.readAll().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Re-reads the folder soon; bursts of calls make one read. */
  scheduleRefresh(): void {
    this.rescanWanted = true;
    this.scheduleFlush();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.filesPoll);
    clearTimeout(this.folderPoll);
    this.watcher?.dispose();
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
    this.runsEmitter.dispose();
    this.fileEmitter.dispose();
  }

  private notice(change: RunFileChange, polled: boolean): void {
    if (!FOLLOWED_KINDS.includes(change.kind)) return;
    const key = `${change.runId}/${change.kind}`;
    // A watcher's word beats a poll's first look.
    if (!this.candidates.has(key) || !polled) this.candidates.set(key, { change, polled });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.disposed || this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, COALESCE_MS);
  }

  /** Hands on the changes whose files really changed (by their stamps), in FOLLOWED_KINDS order; re-reads the list when a run.json did. */
  private async flush(): Promise<void> {
    const candidates = [...this.candidates.values()].sort((a, b) => FOLLOWED_KINDS.indexOf(a.change.kind) - FOLLOWED_KINDS.indexOf(b.change.kind));
    this.candidates.clear();
    let rescan = this.rescanWanted;
    this.rescanWanted = false;
    const store = this.store;
    if (store) {
      const stamped = await Promise.all(candidates.map(async (candidate) => ({ ...candidate, stamp: await stampOf(store.runDir(candidate.change.runId), candidate.change.kind) })));
      for (const { change, polled, stamp } of stamped) {
        const key = `${change.runId}/${change.kind}`;
        const previous = this.stamps.get(key);
        this.stamps.set(key, stamp);
        if (stamp === previous || (polled && previous === undefined) || this.disposed) continue;
        if (change.kind === 'record') {
          this.recordsChanged.add(change.runId);
          rescan = true;
        } else {
          this.fileEmitter.fire(change);
        }
      }
    }
    if (rescan) await this.refresh();
  }

  private watch(dir: string | undefined, existing: boolean): void {
    if (dir === this.watchedDir && this.watcher && (this.watchedExisting || !existing)) return;
    this.watcher?.dispose();
    this.watcher = undefined;
    this.watchedDir = dir;
    this.watchedExisting = existing;
    if (dir === undefined) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '**/*'));
    const onFile = (uri: vscode.Uri) => {
      const rel = relative(dir, uri.fsPath);
      if (rel.startsWith('..') || dir !== this.location) return;
      // A run folder appearing or going (one path segment), or the folder itself.
      const isRunFolder = rel.length > 0 && !rel.includes('/') && !rel.includes('\\') && !rel.startsWith('.');
      if (rel === '' || isRunFolder) {
        this.scheduleRefresh();
        return;
      }
      const change = classifyRunPath(rel);
      if (change) this.notice(change, false);
    };
    this.watcher = vscode.Disposable.from(watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile));
  }

  private async readAll(): Promise<void> {
    const dir = this.location;
    const store = this.store;
    let records: RunRecord[] = [];
    let exists = false;
    if (dir !== undefined && store) {
      exists = await stat(dir).then((s) => s.isDirectory(), () => false);
      if (exists) {
        this.listing = await listRunFolders(dir);
        try {
          const listing = await store.scan();
          records = listing.runs;
          for (const bad of listing.unreadable) {
            if (this.reportedUnreadable.has(bad.id)) continue;
            this.reportedUnreadable.add(bad.id);
            this.log.warn(`Run folder ${bad.runDir} is left out: ${bad.reason}`);
          }
        } catch (error) {
          this.log.error(`Could not read the runs folder ${dir}: ${errorMessage(error)}`);
          records = this.loadedDir === dir ? this.records : [];
        }
      }
    }
    if (this.disposed) return;
    // Also when the folder appeared since the watcher was made (the first run created it).
    if (dir === this.location) this.watch(dir, exists);
    const sameDir = this.loaded && this.loadedDir === dir;
    const before = new Map(this.records.map((record) => [record.id, JSON.stringify(record)]));
    const changedIds = records.filter((record) => before.get(record.id) !== JSON.stringify(record)).map((record) => record.id);
    const gone = [...before.keys()].filter((id) => !records.some((record) => record.id === id));
    if (!sameDir) this.stamps.clear();
    for (const id of gone) for (const kind of FOLLOWED_KINDS) this.stamps.delete(`${id}/${kind}`);
    this.records = records;
    this.loadedDir = dir;
    this.loaded = true;
    this.schedulePolls(dir, exists);
    const told = new Set([...changedIds, ...gone, ...this.recordsChanged]);
    this.recordsChanged.clear();
    if (sameDir) for (const runId of told) this.fileEmitter.fire({ runId, kind: 'record' });
    if (!sameDir || changedIds.length > 0 || gone.length > 0) this.runsEmitter.fire();
    if (exists) this.checkJobs(dir);
  }

  /** Asks Slurm about the jobs of the runs just read (at most every few seconds); a settled run is read again, a new job state redraws. */
  private checkJobs(dir: string | undefined): void {
    const store = this.store;
    if (!this.jobs || !store || dir !== this.location) return;
    void this.jobs.check(store, this.records).then((result) => {
      if (this.disposed || dir !== this.location) return;
      if (result === 'settled') this.scheduleRefresh();
      else if (result === 'states') this.runsEmitter.fire();
    });
  }

  /** While a run may still change: its trainer runs (or will), or its Slurm job's end is not recorded yet. */
  private isLive(record: RunRecord): boolean {
    return record.status === 'running' || record.status === 'queued' || (this.jobs?.follows(record) ?? false);
  }

  private schedulePolls(dir: string | undefined, exists: boolean): void {
    clearTimeout(this.folderPoll);
    clearTimeout(this.filesPoll);
    this.folderPoll = undefined;
    this.filesPoll = undefined;
    if (dir === undefined || this.disposed) return;
    if (!exists) {
      // Watchers of a folder that does not exist yet are not reliable everywhere: look for it now and then.
      this.folderPoll = setTimeout(() => {
        void stat(dir).then(() => this.refresh(), () => this.schedulePolls(dir, false));
      }, MISSING_POLL_MS);
      return;
    }
    const live = this.records.filter((record) => this.isLive(record)).map((record) => record.id);
    if (live.length > 0) {
      this.folderPoll = setTimeout(() => void this.refresh(), LIVE_RECORDS_POLL_MS);
      const pollFiles = () => {
        for (const runId of live) for (const kind of FOLLOWED_KINDS) this.notice({ runId, kind }, true);
        this.filesPoll = setTimeout(pollFiles, LIVE_FILES_POLL_MS);
      };
      pollFiles();
      return;
    }
    this.folderPoll = setTimeout(() => {
      void listRunFolders(dir).then((listing) => {
        if (this.disposed || dir !== this.location) return;
        if (listing !== this.listing) void this.refresh();
        else this.schedulePolls(dir, true);
      });
    }, LISTING_POLL_MS);
  }
}
