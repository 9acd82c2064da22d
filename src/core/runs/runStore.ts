// The runs folder: lists, reads, creates, edits and deletes runs, tolerating old, partial and damaged ones.
import { promises as fs, type Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import type { RunSpec } from '../runSpec';
import { writeJsonAtomic } from './atomicFile';
import { defaultRunName } from './defaultRunName';
import { parseRunRecord } from './parseRunRecord';
import { reconcileStatus, isProcessAlive as probeProcess, DEFAULT_STALE_AFTER_MS } from './reconcileStatus';
import { parseMetricsLines, type RecordedEvent } from './recordedEvent';
import { withRecordLock } from './recordLock';
import { newRunId, isRunId, randomRunIdSuffix } from './runId';
import { confusionFileName, runPaths, type RunPaths } from './runLayout';
import type { CheckpointStateFile, ConfusionFile, PredictionsFile } from './runFiles';
import { RUN_SCHEMA_VERSION, isNewerSchema, type RunRecord } from './runRecord';
import { RunStoreError } from './runStoreError';
import { RunWriter } from './runWriter';

export interface RunStoreOptions {
  /** Clock for ids, times and heartbeat ages. */
  now?: () => Date;
  /** This machine's name, stored with a run's process and compared when reading. */
  hostname?: string;
  isProcessAlive?: (pid: number) => boolean;
  /** Heartbeat age after which a run owned by another machine reads as interrupted. */
  staleAfterMs?: number;
  /** The random part of new ids (four hex digits by default). */
  randomSuffix?: () => string;
}

/** A folder in the runs folder that could not be read as a run, and why. */
export interface UnreadableRun {
  id: string;
  runDir: string;
  reason: string;
}

export interface RunListing {
  /** Newest first. */
  runs: RunRecord[];
  unreadable: UnreadableRun[];
}

export interface MetricsChunk {
  events: RecordedEvent[];
  /** Byte offset to pass next time: the end of the last complete line read. */
  nextOffset: number;
  /** Complete lines that could not be read as events. */
  skippedLines: number;
}

const MAX_NAME_LENGTH = 200;
const MAX_ID_ATTEMPTS = 50;

type RawRead = { ok: true; raw: Record<string, unknown>; record: RunRecord } | { ok: false; reason: string; missing: boolean };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function newestFirst(a: RunRecord, b: RunRecord): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0 && Number.isFinite(byTime)) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function cleanName(name: string): string {
  // Names show on one line in trees and titles.
  const cleaned = name.replace(/\s+/g, ' ').trim();
  if (cleaned.length === 0) throw new RunStoreError('A run name cannot be empty.');
  if (cleaned.length > MAX_NAME_LENGTH) throw new RunStoreError(`A run name can be at most ${MAX_NAME_LENGTH} characters.`);
  return cleaned;
}

function cleanTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const cleaned = tag.replace(/\s+/g, ' ').trim();
    if (cleaned.length > 0) seen.add(cleaned);
  }
  return [...seen];
}

export class RunStore {
  private readonly now: () => Date;
  private readonly hostname: string;
  private readonly isAlive: (pid: number) => boolean;
  private readonly staleAfterMs: number;
  private readonly randomSuffix: () => string;
  /** Creations in this process run one at a time, so default names stay unique. */
  private creating: Promise<unknown> = Promise.resolve();

  /** `runsDir` is absolute, e.g. `<workspace>/.classifier-lab/runs`; it is created on the first `create`. */
  constructor(readonly runsDir: string, options: RunStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.hostname = options.hostname ?? osHostname();
    this.isAlive = options.isProcessAlive ?? probeProcess;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.randomSuffix = options.randomSuffix ?? randomRunIdSuffix;
  }

  /** The folder of run `id`. Throws for anything that is not a plain run id (ids arrive from webviews and IPC). */
  runDir(id: string): string {
    if (!isRunId(id)) throw new RunStoreError(`Not a run id: ${JSON.stringify(id)}.`);
    return join(this.runsDir, id);
  }

  /** Every run folder: readable runs newest first (live status reconciled), and the others with the reason. */
  async scan(): Promise<RunListing> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(this.runsDir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], unreadable: [] };
      throw RunStoreError.fromFileError(error, 'read', this.runsDir);
    }
    const ids = entries.filter((entry) => entry.isDirectory() && isRunId(entry.name)).map((entry) => entry.name);
    const reads = await Promise.all(ids.map(async (id) => ({ id, read: await this.readRaw(id) })));
    const runs: RunRecord[] = [];
    const unreadable: UnreadableRun[] = [];
    for (const { id, read } of reads) {
      if (read.ok) runs.push(this.reconcile(read.record));
      else unreadable.push({ id, runDir: this.runDir(id), reason: read.reason });
    }
    runs.sort(newestFirst);
    unreadable.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return { runs, unreadable };
  }

  /** Readable runs, newest first; unreadable folders are left out (see `scan` for them). */
  async list(): Promise<RunRecord[]> {
    return (await this.scan()).runs;
  }

  /** One run, with its live status reconciled. Throws a RunStoreError saying why it cannot be read. */
  async read(id: string): Promise<RunRecord> {
    const read = await this.readRaw(id);
    if (!read.ok) throw new RunStoreError(`Run ${id} cannot be read: ${read.reason}.`, read.missing ? 'ENOENT' : undefined, this.runDir(id));
    return this.reconcile(read.record);
  }

  /**
   * Creates a run folder and its run.json (status 'queued', owned by this process) and returns its writer.
   * The id is claimed with an exclusive mkdir, so two runs made in the same second never share a folder.
   */
  create(init: { spec: RunSpec; name?: string }): Promise<RunWriter> {
    const run = this.creating.then(() => this.createNow(init));
    this.creating = run.catch(() => undefined);
    return run;
  }

  /** A writer for an existing run, to resume it. Refuses a run another live process is training. */
  async openWriter(id: string): Promise<RunWriter> {
    const read = await this.readRaw(id);
    if (!read.ok) throw new RunStoreError(`Run ${id} cannot be resumed: ${read.reason}.`, undefined, this.runDir(id));
    if (isNewerSchema(read.record)) {
      throw new RunStoreError(`Run ${id} was written by a newer Classifier Lab (schema ${read.record.schemaVersion}); update to resume it.`);
    }
    const reconciled = this.reconcile(read.record);
    const owner = reconciled.process;
    const ownedElsewhere = owner && !(owner.pid === process.pid && owner.hostname === this.hostname);
    if ((reconciled.status === 'running' || reconciled.status === 'queued') && ownedElsewhere) {
      throw new RunStoreError(`Run ${id} is still being trained by process ${owner.pid} on ${owner.hostname}.`);
    }
    return this.writerFor(read.record);
  }

  /** Renames a run (display name only; the folder keeps its id). */
  async rename(id: string, name: string): Promise<RunRecord> {
    const cleaned = cleanName(name);
    return this.editRecord(id, (raw) => {
      raw.name = cleaned;
    });
  }

  /** Sets the run's free-text notes and, when given, its tags (trimmed, de-duplicated). Empty notes are removed. */
  async setNotes(id: string, notes: string, tags?: readonly string[]): Promise<RunRecord> {
    return this.editRecord(id, (raw) => {
      if (notes.trim().length > 0) raw.notes = notes;
      else delete raw.notes;
      if (tags !== undefined) {
        const cleaned = cleanTags(tags);
        if (cleaned.length > 0) raw.tags = cleaned;
        else delete raw.tags;
      }
    });
  }

  /**
   * Deletes a run folder. A run that is still training is refused unless `force` (stop it first).
   * The folder is first renamed to a hidden name, so a concurrent list never sees it half-deleted.
   */
  async delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    const dir = this.runDir(id);
    if (!options.force) {
      const read = await this.readRaw(id);
      if (read.ok) {
        const status = this.reconcile(read.record).status;
        if (status === 'running') throw new RunStoreError(`Run ${id} is still training: stop it before deleting it.`);
      }
    }
    const doomed = join(this.runsDir, `.deleting-${id}-${this.randomSuffix()}`);
    try {
      await fs.rename(dir, doomed);
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'delete', dir);
    }
    try {
      await fs.rm(doomed, { recursive: true, force: true });
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'delete', doomed);
    }
  }

  /** All recorded events in order. A cut last line (a trainer mid-write or killed) is left out. */
  async readMetrics(id: string): Promise<RecordedEvent[]> {
    return (await this.readMetricsFrom(id, 0)).events;
  }

  /**
   * Events from byte `offset` to the last complete line, for following a live run without re-reading
   * the whole file. An offset past the end (the file was replaced) starts over from 0.
   */
  async readMetricsFrom(id: string, offset: number): Promise<MetricsChunk> {
    const path = this.paths(id).metrics;
    let handle: FileHandle;
    try {
      handle = await fs.open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], nextOffset: 0, skippedLines: 0 };
      throw RunStoreError.fromFileError(error, 'read', path);
    }
    try {
      const { size } = await handle.stat();
      const start = offset >= 0 && offset <= size ? Math.floor(offset) : 0;
      const bytes = Buffer.alloc(size - start);
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      const lastNewline = bytes.subarray(0, filled).lastIndexOf(0x0a);
      if (lastNewline < 0) return { events: [], nextOffset: start, skippedLines: 0 };
      const text = bytes.subarray(0, lastNewline).toString('utf8');
      const { events, skippedLines } = parseMetricsLines(text.split('\n'));
      return { events, nextOffset: start + lastNewline + 1, skippedLines };
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'read', path);
    } finally {
      await handle.close();
    }
  }

  /** The confusion matrix of a validation epoch, or of the test split; undefined when not written. */
  async readConfusion(id: string, epoch: number | 'test'): Promise<ConfusionFile | undefined> {
    const path = join(this.paths(id).confusionDir, confusionFileName(epoch));
    return this.readJson(path, (value): value is ConfusionFile => isObject(value) && Array.isArray(value.matrix));
  }

  /** Validation predictions of the best epoch; undefined when not written. */
  async readPredictions(id: string): Promise<PredictionsFile | undefined> {
    return this.readJson(this.paths(id).predictions, (value): value is PredictionsFile => isObject(value) && Array.isArray(value.items));
  }

  /** The state of the last checkpoint, to resume from; undefined when there is none. */
  async readCheckpointState(id: string): Promise<CheckpointStateFile | undefined> {
    return this.readJson(this.paths(id).checkpointState, (value): value is CheckpointStateFile => isObject(value) && typeof value.epoch === 'number');
  }

  /** trainer.log, or '' when the run has none. */
  async readLog(id: string): Promise<string> {
    const path = this.paths(id).log;
    try {
      return await fs.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw RunStoreError.fromFileError(error, 'read', path);
    }
  }

  private paths(id: string): RunPaths {
    return runPaths(this.runDir(id));
  }

  private reconcile(record: RunRecord): RunRecord {
    return reconcileStatus(record, this.now(), this.isAlive, { hostname: this.hostname, staleAfterMs: this.staleAfterMs });
  }

  private writerFor(record: RunRecord): RunWriter {
    return new RunWriter(this.paths(record.id), record, { now: this.now, pid: process.pid, hostname: this.hostname });
  }

  private async createNow(init: { spec: RunSpec; name?: string }): Promise<RunWriter> {
    const name = init.name !== undefined && init.name.trim().length > 0
      ? cleanName(init.name)
      : defaultRunName(init.spec, (await this.list()).map((run) => run.name));
    try {
      await fs.mkdir(this.runsDir, { recursive: true });
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'create', this.runsDir);
    }
    const createdAt = this.now();
    let id = '';
    for (let attempt = 0; ; attempt++) {
      id = newRunId(createdAt, init.spec.model.kind, this.randomSuffix());
      try {
        await fs.mkdir(this.runDir(id));
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw RunStoreError.fromFileError(error, 'create', this.runDir(id));
        if (attempt >= MAX_ID_ATTEMPTS) throw new RunStoreError(`Could not find a free run id in ${this.runsDir}.`, code, this.runsDir);
      }
    }
    const time = createdAt.toISOString();
    const record: RunRecord = {
      schemaVersion: RUN_SCHEMA_VERSION,
      id,
      name,
      status: 'queued',
      createdAt: time,
      updatedAt: time,
      spec: structuredClone(init.spec),
      summary: { epochs: init.spec.training.epochs },
      process: { pid: process.pid, hostname: this.hostname },
    };
    const paths = this.paths(id);
    try {
      await writeJsonAtomic(paths.record, record);
    } catch (error) {
      // Leave no folder without a run.json behind.
      await fs.rm(paths.runDir, { recursive: true, force: true }).catch(() => undefined);
      throw RunStoreError.fromFileError(error, 'create', paths.record);
    }
    return this.writerFor(record);
  }

  private async readRaw(id: string): Promise<RawRead> {
    const path = this.paths(id).record;
    let text: string;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        const folderExists = await fs.stat(this.runDir(id)).then(() => true, () => false);
        return folderExists
          ? { ok: false, missing: false, reason: 'it has no run.json (it is still being created, or it is not a run folder)' }
          : { ok: false, missing: true, reason: `it does not exist in ${this.runsDir}` };
      }
      return { ok: false, missing: false, reason: RunStoreError.fromFileError(error, 'read', path).message };
    }
    if (text.trim().length === 0) return { ok: false, missing: false, reason: 'run.json is empty' };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { ok: false, missing: false, reason: `run.json is not valid JSON (${(error as Error).message})` };
    }
    const parsed = parseRunRecord(raw, id);
    if (!parsed.ok) return { ok: false, missing: false, reason: parsed.reason };
    return { ok: true, raw: raw as Record<string, unknown>, record: parsed.record };
  }

  /**
   * Changes fields of run.json in place under the record lock, keeping every other field exactly as
   * written: the user's name, notes and tags, or a cluster submitter's job (core/cluster).
   */
  async editRecord(id: string, edit: (raw: Record<string, unknown>) => void): Promise<RunRecord> {
    const paths = this.paths(id);
    const exists = await fs.stat(paths.runDir).then(() => true, () => false);
    if (!exists) throw new RunStoreError(`Run ${id} cannot be edited: it does not exist in ${this.runsDir}.`, 'ENOENT', paths.runDir);
    const record = await withRecordLock(paths.recordLock, async () => {
      const read = await this.readRaw(id);
      if (!read.ok) throw new RunStoreError(`Run ${id} cannot be edited: ${read.reason}.`, read.missing ? 'ENOENT' : undefined, paths.runDir);
      edit(read.raw);
      try {
        await writeJsonAtomic(paths.record, read.raw);
      } catch (error) {
        throw RunStoreError.fromFileError(error, 'write', paths.record);
      }
      const parsed = parseRunRecord(read.raw, id);
      if (!parsed.ok) throw new RunStoreError(`Run ${id} cannot be edited: ${parsed.reason}.`);
      return parsed.record;
    });
    return this.reconcile(record);
  }

  private async readJson<T>(path: string, check: (value: unknown) => value is T): Promise<T | undefined> {
    let text: string;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw RunStoreError.fromFileError(error, 'read', path);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new RunStoreError(`${path} is not valid JSON (${(error as Error).message}).`, undefined, path);
    }
    if (!check(value)) throw new RunStoreError(`${path} does not have the expected fields.`, undefined, path);
    return value;
  }
}
