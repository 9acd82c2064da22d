// The runs folder: lists, reads, creates, edits and deletes runs, tolerating old, partial and damaged ones.
import { constants as fsConstants, promises as fs, type Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunSpec } from '../runSpec';
import type { RunStatus } from '../train/trainingEvents';
import { readableDir, writeJsonAtomic } from './atomicFile';
import { defaultRunName } from './defaultRunName';
import { nodeFileOps, type FileOps } from './fileOps';
import { parseRunRecord } from './parseRunRecord';
import { printable } from './printable';
import { readRecordText } from './readRecordText';
import { reconcileStatus, isProcessAlive as probeProcess, DEFAULT_STALE_AFTER_MS } from './reconcileStatus';
import { MetricsLineParser, parseMetricsLines, type RecordedEvent } from './recordedEvent';
import { withRecordLock } from './recordLock';
import { endClaim, isOwnerAlive, newClaim } from './runClaims';
import { newRunId, isRunId, randomRunIdSuffix } from './runId';
import { CHECKPOINT_STATE_FILE, confusionFileName, runPaths, type RunPaths } from './runLayout';
import type { CheckpointStateFile, ConfusionFile, PredictionsFile } from './runFiles';
import { RUN_SCHEMA_VERSION, isNewerSchema, type RunRecord } from './runRecord';
import { RunStoreError } from './runStoreError';
import { RunWriter } from './runWriter';
import { errorMessage } from '../errorMessage';

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
  /** Every call that changes the disk (fault-injection tests replace it). */
  fileOps?: FileOps;
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

/** What `streamMetricsFrom` read: where to continue, and what it could not read. */
export interface MetricsStreamEnd {
  /** Byte offset to pass next time: the end of the last complete line read. */
  nextOffset: number;
  /** Complete lines that could not be read as events (including lines over MAX_METRICS_LINE_BYTES). */
  skippedLines: number;
}

export interface StreamMetricsOptions {
  /** Leave per-batch lines unparsed (the bulk of a long run's file), for readers of epochs only. */
  skipBatches?: boolean;
  /** Bytes read at a time (default 1 MiB); the reader yields to the event loop between reads. */
  chunkBytes?: number;
}

/** No event line is anywhere near this long; a longer "line" is damage (or an attack) and is skipped unread. */
export const MAX_METRICS_LINE_BYTES = 1024 * 1024;
const METRICS_CHUNK_BYTES = 1024 * 1024;
/** How a batchEnd line starts as the writer writes it (JSON.stringify keeps the `type` key first). */
const BATCH_LINE_START = '{"type":"batchEnd"';

/** Longest run name, in characters. */
export const MAX_NAME_LENGTH = 200;
const MAX_ID_ATTEMPTS = 50;
/** How much of the end of metrics.jsonl is read to find a runEnd line that run.json missed. */
const METRICS_TAIL_BYTES = 64 * 1024;

type RawRead = { ok: true; raw: Record<string, unknown>; record: RunRecord } | { ok: false; reason: string; missing: boolean };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCheckpointState(value: unknown): value is CheckpointStateFile {
  if (!isObject(value) || !Number.isInteger(value.epoch) || (value.epoch as number) < 0) return false;
  if (!Number.isInteger(value.epochsWithoutImprovement) || (value.epochsWithoutImprovement as number) < 0) return false;
  const best = value.best;
  return best === null || (isObject(best) && Number.isInteger(best.epoch) &&
    typeof best.valAcc === 'number' && Number.isFinite(best.valAcc) && typeof best.valLoss === 'number' && Number.isFinite(best.valLoss));
}

function newestFirst(a: RunRecord, b: RunRecord): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0 && Number.isFinite(byTime)) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A name as stored: whitespace runs become one space; empty or over MAX_NAME_LENGTH characters is refused. */
export function cleanName(name: string): string {
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
  private readonly ops: FileOps;
  /** Creations in this process run one at a time, so default names stay unique. */
  private creating: Promise<unknown> = Promise.resolve();

  /** `runsDir` is absolute, e.g. `<workspace>/.classifier-lab/runs`; it is created on the first `create`. */
  constructor(readonly runsDir: string, options: RunStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.hostname = options.hostname ?? osHostname();
    this.isAlive = options.isProcessAlive ?? probeProcess;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.randomSuffix = options.randomSuffix ?? randomRunIdSuffix;
    this.ops = options.fileOps ?? nodeFileOps;
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
      if (read.ok) runs.push(await this.reconcile(read.record));
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
   * Throws a RunStoreError saying why runs cannot be written here (a read-only file system, no
   * permission), checked on the runs folder or, before it exists, on its nearest existing parent.
   * Lets a command fail at once instead of after loading a dataset.
   */
  async checkWritable(): Promise<void> {
    let folder = this.runsDir;
    for (;;) {
      try {
        await fs.access(folder, fsConstants.W_OK);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' || dirname(folder) === folder) throw RunStoreError.fromFileError(error, 'write', folder);
        folder = dirname(folder);
      }
    }
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

  /**
   * Takes an existing run over, to resume it (or to record how it ended): claims it in run.json (status
   * `queued`, this process and a claim token) under the record lock, so exactly one writer holds a run.
   * Refuses a run that another live writer holds (a claim whose process died is stale and is taken
   * over), one written by a newer version, and with `resume`, one that already completed. Then finishes
   * what a crash of the previous writer left half done (see RunWriter.recover).
   */
  async openWriter(id: string, options: { resume?: boolean } = {}): Promise<RunWriter> {
    const paths = this.paths(id);
    // Checked before the lock too, so that a run that cannot be taken says why even where nothing can
    // be written (a read-only file system); checked again under the lock, where it counts.
    await this.claimable(id, options);
    const claim = newClaim();
    let writer: RunWriter;
    try {
      writer = await withRecordLock(paths.recordLock, async () => {
        const current = await this.claimable(id, options);
        const claimed: RunRecord = {
          ...structuredClone(current),
          status: 'queued',
          updatedAt: this.now().toISOString(),
          process: { pid: process.pid, hostname: this.hostname, claim },
        };
        try {
          await writeJsonAtomic(paths.record, claimed, this.ops);
        } catch (error) {
          throw RunStoreError.fromFileError(error, 'write', paths.record);
        }
        return this.writerFor(claimed, claim, current.status);
      }, { ops: this.ops, isAlive: this.isAlive });
    } catch (error) {
      endClaim(claim);
      throw error;
    }
    try {
      await writer.recover();
    } catch (error) {
      await writer.close().catch(() => undefined);
      throw error;
    }
    writer.keepAlive();
    return writer;
  }

  /** The run as it reads now, when a writer may take it over; else throws why not. */
  private async claimable(id: string, options: { resume?: boolean }): Promise<RunRecord> {
    const paths = this.paths(id);
    const read = await this.readRaw(id);
    if (!read.ok) throw new RunStoreError(`Run ${id} cannot be resumed: ${read.reason}.`, read.missing ? 'ENOENT' : undefined, paths.runDir);
    if (isNewerSchema(read.record)) {
      throw new RunStoreError(`Run ${id} was written by a newer Classifier Lab (schema ${read.record.schemaVersion}); update to resume it.`);
    }
    const current = await this.reconcile(read.record);
    // A queued run that names no process waits for a trainer to take it (a submitted Slurm job's, say):
    // it is free to claim. One still running, or queued by a live process, is held.
    if (current.status === 'running' || (current.status === 'queued' && current.process !== undefined)) {
      const owner = current.process;
      throw new RunStoreError(owner
        ? `Run ${id} is already being trained by process ${owner.pid} on ${printable(owner.hostname)}: stop it first, or wait for it to finish.`
        : `Run ${id} is already being trained on another machine (its heartbeat is recent): stop it first, or wait for it to finish.`, 'EBUSY', paths.runDir);
    }
    if (options.resume && current.status === 'completed') {
      throw new RunStoreError(`Run "${printable(current.name)}" already completed; start a new run (or rerun it) to train more.`, undefined, paths.runDir);
    }
    return current;
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
        const status = (await this.reconcile(read.record)).status;
        if (status === 'running') throw new RunStoreError(`Run ${id} is still training: stop it before deleting it.`);
      }
    }
    const doomed = join(this.runsDir, `.deleting-${id}-${this.randomSuffix()}`);
    try {
      await this.ops.rename(dir, doomed);
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'delete', dir);
    }
    try {
      await this.ops.rm(doomed, { recursive: true, force: true });
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
    // Runs without a validation split recorded training accuracy as valAcc before it had its own field.
    const read = await this.readRaw(id);
    const validated = !(read.ok && read.record.dataset?.valCount === 0);
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
      const { events, skippedLines } = parseMetricsLines(text.split('\n'), { validated });
      return { events, nextOffset: start + lastNewline + 1, skippedLines };
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'read', path);
    } finally {
      await handle.close();
    }
  }

  /**
   * Like readMetricsFrom, but hands each event to `onEvent` as it is read, a chunk at a time, so a long
   * run's file (a million batch lines) is never held in memory whole. Only complete lines are read; a
   * line longer than MAX_METRICS_LINE_BYTES is skipped and counted. An offset past the end starts over.
   */
  async streamMetricsFrom(id: string, offset: number, onEvent: (event: RecordedEvent) => void, options: StreamMetricsOptions = {}): Promise<MetricsStreamEnd> {
    const path = this.paths(id).metrics;
    // Runs without a validation split recorded training accuracy as valAcc before it had its own field.
    const read = await this.readRaw(id);
    const parser = new MetricsLineParser({ validated: !(read.ok && read.record.dataset?.valCount === 0) });
    let handle: FileHandle;
    try {
      handle = await fs.open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { nextOffset: 0, skippedLines: 0 };
      throw RunStoreError.fromFileError(error, 'read', path);
    }
    try {
      const { size } = await handle.stat();
      let position = offset >= 0 && offset <= size ? Math.floor(offset) : 0;
      /** Offset of the first byte after the last complete line handled. */
      let consumed = position;
      let carry = Buffer.alloc(0);
      /** Inside an overlong line: everything up to its newline is dropped. */
      let skippingLongLine = false;
      const chunk = Buffer.alloc(Math.max(4096, options.chunkBytes ?? METRICS_CHUNK_BYTES));
      while (position < size) {
        const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        let start = 0;
        for (let newline = bytes.indexOf(0x0a, start); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
          if (skippingLongLine) {
            skippingLongLine = false;
            parser.skippedLines += 1;
          } else {
            const line = bytes.toString('utf8', start, newline);
            if (!(options.skipBatches && line.startsWith(BATCH_LINE_START))) {
              const event = parser.parse(line);
              if (event) onEvent(event);
            }
          }
          start = newline + 1;
        }
        consumed = position - (bytes.length - start);
        // Copied: the chunk buffer is reused for the next read.
        carry = Buffer.from(bytes.subarray(start));
        if (carry.length > MAX_METRICS_LINE_BYTES) {
          skippingLongLine = true;
          carry = Buffer.alloc(0);
        }
      }
      return { nextOffset: consumed, skippedLines: parser.skippedLines };
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

  /**
   * The state of the last checkpoint, to resume from; undefined when there is none. Read from the
   * complete folder a crash left mid-swap when `checkpoint/` itself is missing.
   */
  async readCheckpointState(id: string): Promise<CheckpointStateFile | undefined> {
    const dir = await readableDir(this.paths(id).checkpointDir);
    if (dir === undefined) return undefined;
    return this.readJson(join(dir, CHECKPOINT_STATE_FILE), isCheckpointState);
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

  /**
   * The record as a reader should see it: a run whose owner is gone reads `interrupted`, unless its
   * metrics.jsonl ends with a runEnd event (the trainer died after writing it, before run.json): then
   * the run ended, and reads as that event says.
   */
  private async reconcile(record: RunRecord): Promise<RunRecord> {
    const owner = record.process;
    const isAlive = (pid: number) => isOwnerAlive({ ...(owner ?? { hostname: this.hostname }), pid }, this.isAlive);
    const reconciled = reconcileStatus(record, this.now(), isAlive, { hostname: this.hostname, staleAfterMs: this.staleAfterMs });
    if (reconciled.status !== 'interrupted' || reconciled === record) return reconciled;
    const end = await this.readFinalRunEnd(record.id);
    if (!end) return reconciled;
    const ended: RunRecord = { ...reconciled, status: end.status, endedAt: end.time, summary: { ...reconciled.summary } };
    delete ended.process;
    if (end.error !== undefined) ended.error = end.error;
    if (end.best) {
      ended.summary.bestEpoch = end.best.epoch;
      if (end.best.valAcc !== undefined) ended.summary.bestValAcc = end.best.valAcc;
      if (end.best.trainAcc !== undefined) ended.summary.bestTrainAcc = end.best.trainAcc;
    }
    if (end.testAcc !== undefined) ended.summary.testAcc = end.testAcc;
    return ended;
  }

  /** The runEnd event when it is the last complete line of metrics.jsonl; else undefined. */
  private async readFinalRunEnd(id: string): Promise<Extract<RecordedEvent, { type: 'runEnd' }> | undefined> {
    let handle: FileHandle;
    try {
      handle = await fs.open(this.paths(id).metrics, 'r');
    } catch {
      return undefined;
    }
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - METRICS_TAIL_BYTES);
      const bytes = Buffer.alloc(size - start);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
      const text = bytes.subarray(0, bytesRead).toString('utf8');
      // Complete lines only: a cut last line is a write the crash interrupted.
      const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line.trim().length > 0);
      const last = lines.at(-1);
      if (last === undefined) return undefined;
      const [event] = parseMetricsLines([last]).events;
      return event?.type === 'runEnd' ? event : undefined;
    } catch {
      return undefined;
    } finally {
      await handle.close();
    }
  }

  private writerFor(record: RunRecord, claim: string, statusBeforeClaim?: RunStatus): RunWriter {
    return new RunWriter(this.paths(record.id), record, {
      now: this.now, pid: process.pid, hostname: this.hostname, claim, ops: this.ops, isAlive: this.isAlive, statusBeforeClaim,
    });
  }

  private async createNow(init: { spec: RunSpec; name?: string }): Promise<RunWriter> {
    const name = init.name !== undefined && init.name.trim().length > 0
      ? cleanName(init.name)
      : defaultRunName(init.spec, (await this.list()).map((run) => run.name));
    try {
      await this.ops.mkdir(this.runsDir, { recursive: true });
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'create', this.runsDir);
    }
    const createdAt = this.now();
    let id = '';
    for (let attempt = 0; ; attempt++) {
      id = newRunId(createdAt, init.spec.model.kind, this.randomSuffix());
      try {
        await this.ops.mkdir(this.runDir(id));
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw RunStoreError.fromFileError(error, 'create', this.runDir(id));
        if (attempt >= MAX_ID_ATTEMPTS) throw new RunStoreError(`Could not find a free run id in ${this.runsDir}.`, code, this.runsDir);
      }
    }
    const time = createdAt.toISOString();
    const claim = newClaim();
    const record: RunRecord = {
      schemaVersion: RUN_SCHEMA_VERSION,
      id,
      name,
      status: 'queued',
      createdAt: time,
      updatedAt: time,
      spec: structuredClone(init.spec),
      summary: { epochs: init.spec.training.epochs },
      process: { pid: process.pid, hostname: this.hostname, claim },
    };
    const paths = this.paths(id);
    try {
      await writeJsonAtomic(paths.record, record, this.ops);
    } catch (error) {
      endClaim(claim);
      // Leave no folder without a run.json behind.
      await this.ops.rm(paths.runDir, { recursive: true, force: true }).catch(() => undefined);
      throw RunStoreError.fromFileError(error, 'create', paths.record);
    }
    return this.writerFor(record, claim);
  }

  private async readRaw(id: string): Promise<RawRead> {
    const path = this.paths(id).record;
    let text: string;
    try {
      text = await readRecordText(path);
    } catch (error) {
      if (error instanceof RunStoreError) return { ok: false, missing: false, reason: error.message };
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
      return { ok: false, missing: false, reason: `run.json is not valid JSON (${printable(errorMessage(error)).slice(0, 200)})` };
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
        await writeJsonAtomic(paths.record, read.raw, this.ops);
      } catch (error) {
        throw RunStoreError.fromFileError(error, 'write', paths.record);
      }
      const parsed = parseRunRecord(read.raw, id);
      if (!parsed.ok) throw new RunStoreError(`Run ${id} cannot be edited: ${parsed.reason}.`);
      return parsed.record;
    }, { ops: this.ops, isAlive: this.isAlive });
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
      throw new RunStoreError(`${path} is not valid JSON (${errorMessage(error)}).`, undefined, path);
    }
    if (!check(value)) throw new RunStoreError(`${path} does not have the expected fields.`, undefined, path);
    return value;
  }
}
