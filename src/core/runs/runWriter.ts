// The one writer of a run, owned by the training process: appends events, keeps run.json current, saves side files.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { RunStatus, TrainingEvent } from '../train/trainingEvents';
import { recoverDir, replaceDirAtomic, writeJsonAtomic } from './atomicFile';
import type { FileOps, OpenFile } from './fileOps';
import { parseRunRecord } from './parseRunRecord';
import { toRecordedEvent } from './recordedEvent';
import { withRecordLock } from './recordLock';
import { endClaim } from './runClaims';
import { readRecordText } from './readRecordText';
import { CHECKPOINT_STATE_FILE, confusionFileName, type RunPaths } from './runLayout';
import type { CheckpointStateFile, ConfusionFile, PredictionsFile } from './runFiles';
import type { RunDatasetInfo, RunInitSource, RunModelInfo, RunRecord } from './runRecord';
import { RunStoreError, type RunStoreAction } from './runStoreError';

/** How often a live run rewrites its heartbeat (run.json `updatedAt`); readers allow several missed beats. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;

export interface RunStartInfo {
  dataset?: RunDatasetInfo;
  model?: RunModelInfo;
  backend?: string;
  /** Why `auto` did not use the native backend; absent when it did, or when a backend was asked for by name. */
  backendFallbackReason?: string;
  /** Threads that share each training step. */
  threads?: number;
  /** Epoch of the checkpoint training continues from. */
  resumedFrom?: number;
  /** The run whose weights training started from. */
  initFrom?: RunInitSource;
  /** 0 turns the heartbeat timer off (the caller then calls `heartbeat()` itself). */
  heartbeatIntervalMs?: number;
}

export type FinishedStatus = Extract<RunStatus, 'completed' | 'failed' | 'cancelled' | 'interrupted'>;

/** Checkpoint state as the training loop has it; the writer adds the time. */
export type CheckpointStateInput = Omit<CheckpointStateFile, 'savedAt'>;

export interface RunWriterContext {
  now: () => Date;
  pid: number;
  hostname: string;
  /** This writer's claim token (see runClaims), recorded in run.json's `process`. */
  claim: string;
  ops: FileOps;
  /** Whether a process of this machine lives (the store's probe; tests simulate dead processes). */
  isAlive: (pid: number) => boolean;
  /** The status to put back when the writer closes without having started (a resume that failed to begin). */
  statusBeforeClaim?: RunStatus;
}

/** Fills an empty folder with a model's files, writing through `ops`. */
export type FolderFill = (dir: string, ops: FileOps) => Promise<void>;

/** Runs a file operation, reporting a failure as a RunStoreError naming `path`. */
async function attributed<T>(path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw RunStoreError.fromFileError(error, 'write', path);
  }
}

/**
 * Writes one run. Made by `RunStore.create` or `RunStore.openWriter`; one per training process.
 * Calls are queued, so concurrent `append`s land as whole lines in call order, and run.json is
 * rewritten (atomically, under a lock) only at runStart, epochEnd, testEnd, runEnd, start, finish and heartbeats.
 */
export class RunWriter {
  readonly id: string;
  readonly runDir: string;
  /** Where the trainer saves the best model (tfjs model.json + weights), via `saveBestModel`. */
  readonly bestModelDir: string;
  /** Where the trainer saves the last epoch's model, optimizer and state.json, via `saveCheckpoint`. */
  readonly checkpointDir: string;

  private current: RunRecord;
  private tail: Promise<unknown> = Promise.resolve();
  private metrics?: OpenFile;
  private started = false;
  private closed = false;
  /** Set after a failed or cut append, so the next line starts on a line of its own. */
  private metricsNeedsNewline = false;
  private heartbeatTimer?: NodeJS.Timeout;
  private segmentStartMs?: number;
  private priorDurationMs = 0;

  constructor(
    private readonly paths: RunPaths,
    record: RunRecord,
    private readonly context: RunWriterContext,
  ) {
    this.id = record.id;
    this.runDir = paths.runDir;
    this.bestModelDir = paths.bestModelDir;
    this.checkpointDir = paths.checkpointDir;
    this.current = structuredClone(record);
  }

  /** A copy of the record as this writer last wrote it. */
  get record(): RunRecord {
    return structuredClone(this.current);
  }

  /** Marks the run running in this process and starts the heartbeat. Call again when resuming. */
  start(info: RunStartInfo = {}): Promise<void> {
    return this.enqueue('write', this.paths.record, async () => {
      this.started = true;
      this.beginSegment(info.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
      const record = this.current;
      record.status = 'running';
      record.startedAt = this.context.now().toISOString();
      delete record.endedAt;
      delete record.error;
      record.process = this.processInfo();
      if (info.dataset) record.dataset = { ...record.dataset, ...structuredClone(info.dataset) };
      if (info.model) record.model = { ...info.model };
      if (info.backend !== undefined) record.backend = info.backend;
      // Each (re)start says anew: a resume that found the native backend has no reason left.
      if (info.backendFallbackReason !== undefined) record.backendFallbackReason = info.backendFallbackReason;
      else if (info.backend !== undefined) delete record.backendFallbackReason;
      if (info.threads !== undefined) record.threads = info.threads;
      if (info.resumedFrom !== undefined) record.resumedFrom = info.resumedFrom;
      if (info.initFrom !== undefined) record.initFrom = { ...info.initFrom };
      await this.saveRecord();
    });
  }

  /**
   * Records one training event. Order on disk: the confusion file, then the metrics line, then run.json,
   * so a reader that sees an epochEnd line finds its matrix. Log events go to trainer.log.
   */
  append(event: TrainingEvent): Promise<void> {
    return this.enqueue('write', this.paths.metrics, async () => {
      switch (event.type) {
        case 'log':
          await this.appendLog(`[${event.level}] ${event.message}`);
          return;
        case 'batchEnd':
          await this.appendLine(event);
          return;
        case 'epochEnd':
        case 'testEnd': {
          const split = event.type === 'epochEnd' ? 'val' : 'test';
          const file: ConfusionFile = {
            epoch: event.epoch,
            split,
            classes: this.current.dataset?.classes ?? event.perClass.map((metrics) => metrics.label),
            matrix: event.confusion,
            perClass: event.perClass,
          };
          const confusionPath = join(this.paths.confusionDir, confusionFileName(split === 'val' ? event.epoch : 'test'));
          await attributed(confusionPath, async () => {
            // Not recursive: a deleted run folder must not come back as a half-empty one.
            await this.context.ops.mkdir(this.paths.confusionDir).catch((error: NodeJS.ErrnoException) => {
              if (error.code !== 'EEXIST') throw error;
            });
            await writeJsonAtomic(confusionPath, file, this.context.ops);
          });
          await this.appendLine(event);
          const summary = this.current.summary;
          if (event.type === 'epochEnd') {
            summary.lastEpoch = event.epoch;
            summary.imagesPerSecond = event.imagesPerSecond;
            if (event.peakRssBytes !== undefined) summary.peakRssBytes = Math.max(summary.peakRssBytes ?? 0, event.peakRssBytes);
            if (event.isBest) {
              summary.bestEpoch = event.epoch;
              if (event.valAcc !== undefined && event.valLoss !== undefined) {
                summary.bestValAcc = event.valAcc;
                summary.bestValLoss = event.valLoss;
                delete summary.bestTrainAcc;
                delete summary.bestTrainLoss;
              } else {
                // No validation split: the best epoch is the best by training accuracy, and says so.
                summary.bestTrainAcc = event.acc;
                summary.bestTrainLoss = event.loss;
                delete summary.bestValAcc;
                delete summary.bestValLoss;
              }
            }
          } else {
            summary.testAcc = event.acc;
          }
          await this.saveRecord();
          return;
        }
        case 'runStart': {
          await this.appendLine(event);
          if (this.segmentStartMs === undefined) {
            this.beginSegment(DEFAULT_HEARTBEAT_INTERVAL_MS);
            this.current.startedAt = event.time;
          }
          this.started = true;
          const record = this.current;
          record.status = 'running';
          record.process = this.processInfo();
          record.backend = event.backend;
          if (event.threads !== undefined) record.threads = event.threads;
          record.dataset = {
            root: record.spec.data.path,
            ...record.dataset,
            format: event.format,
            classes: event.classes,
            imageShape: event.imageShape,
            trainCount: event.trainCount,
            valCount: event.valCount,
            testCount: event.testCount,
          };
          record.model = { kind: record.spec.model.kind, parameterCount: event.parameterCount };
          record.summary.epochs = event.epochs;
          if (event.startEpoch > 1) record.resumedFrom = event.startEpoch - 1;
          await this.saveRecord();
          return;
        }
        case 'runEnd': {
          await this.appendLine(event);
          if (event.best) {
            const summary = this.current.summary;
            summary.bestEpoch = event.best.epoch;
            if (event.best.valAcc !== undefined) summary.bestValAcc = event.best.valAcc;
            if (event.best.trainAcc !== undefined) summary.bestTrainAcc = event.best.trainAcc;
          }
          if (event.testAcc !== undefined) this.current.summary.testAcc = event.testAcc;
          await this.end(event.status, event.error, event.time);
          return;
        }
      }
    });
  }

  /** Rewrites run.json's `updatedAt` so readers know the trainer is alive. */
  heartbeat(): Promise<void> {
    return this.enqueue('write', this.paths.record, () => this.saveRecord());
  }

  /** Replaces predictions.json (validation predictions of the best epoch). */
  writePredictions(predictions: PredictionsFile): Promise<void> {
    return this.enqueue('write', this.paths.predictions, () => writeJsonAtomic(this.paths.predictions, predictions, this.context.ops));
  }

  /** Replaces the best model folder with what `fill` writes into an empty folder (all or nothing, crash-safe). */
  async saveBestModel(fill: FolderFill): Promise<void> {
    const ops = this.context.ops;
    try {
      await this.requireRunDir();
      await replaceDirAtomic(this.bestModelDir, (dir) => fill(dir, ops), ops);
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'write', this.bestModelDir);
    }
  }

  /** Replaces the checkpoint folder: the model and optimizer files `fill` writes, plus state.json. */
  async saveCheckpoint(state: CheckpointStateInput, fill: FolderFill): Promise<void> {
    const stateFile: CheckpointStateFile = { ...state, savedAt: this.context.now().toISOString() };
    const ops = this.context.ops;
    try {
      await this.requireRunDir();
      await replaceDirAtomic(this.checkpointDir, async (dir) => {
        await fill(dir, ops);
        await ops.writeFile(join(dir, CHECKPOINT_STATE_FILE), JSON.stringify(stateFile, null, 2) + '\n');
      }, ops);
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'write', this.checkpointDir);
    }
  }

  /**
   * Finishes what a crash of an earlier writer left half done: a `model/` or `checkpoint/` swap caught
   * between its renames is completed (or undone), and temporary files of dead processes are removed.
   * Called by the store when this writer takes the run over; safe because no one else writes the run.
   */
  async recover(): Promise<void> {
    const ops = this.context.ops;
    try {
      await recoverDir(this.bestModelDir, ops);
      await recoverDir(this.checkpointDir, ops);
      for (const folder of [this.runDir, this.paths.confusionDir]) {
        const names = await fs.readdir(folder).catch(() => [] as string[]);
        for (const name of names) {
          // Temporaries of atomic writes (.<name>.<pid>.<hex>.tmp) and of the record lock (.tmp, .stale, .released).
          const pid = /^\..+\.(\d+)\.[0-9a-f]+\.(tmp|stale|released)$/.exec(name)?.[1];
          if (pid !== undefined && !this.context.isAlive(Number(pid))) {
            await ops.rm(join(folder, name), { recursive: true, force: true });
          }
        }
      }
    } catch (error) {
      throw RunStoreError.fromFileError(error, 'write', this.runDir);
    }
  }

  /** Ends the run without a runEnd event (a crash handler, a signal): sets the status, stops the heartbeat. */
  finish(status: FinishedStatus, error?: string): Promise<void> {
    return this.enqueue('write', this.paths.record, () => this.end(status, error, this.context.now().toISOString()));
  }

  /** Appends a timestamped line to trainer.log. */
  log(line: string): Promise<void> {
    return this.enqueue('write', this.paths.log, () => this.appendLog(line));
  }

  /**
   * Stops the heartbeat, closes metrics.jsonl and gives up this writer's claim on the run. The status
   * stays as it is, except for a resumed run that never started training: it gets its earlier status
   * back (a resume that could not load its dataset leaves the run as resumable as it was).
   */
  close(): Promise<void> {
    this.stopHeartbeat();
    if (this.closed) return this.tail.then(() => undefined);
    this.closed = true;
    return this.enqueue('write', this.paths.metrics, async () => {
      try {
        await this.closeMetrics();
        const previous = this.context.statusBeforeClaim;
        if (!this.started && previous !== undefined && this.current.status === 'queued') {
          this.current.status = previous;
          delete this.current.process;
          await this.saveRecord();
        }
      } finally {
        endClaim(this.context.claim);
      }
    });
  }

  /** Keeps the claim visibly alive (run.json `updatedAt`) from the moment it is taken, before training starts. */
  keepAlive(heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS): void {
    this.stopHeartbeat();
    if (heartbeatIntervalMs > 0) {
      this.heartbeatTimer = setInterval(() => void this.heartbeat().catch(() => undefined), heartbeatIntervalMs);
      this.heartbeatTimer.unref();
    }
  }

  private processInfo(): { pid: number; hostname: string; claim: string } {
    return { pid: this.context.pid, hostname: this.context.hostname, claim: this.context.claim };
  }

  /** replaceDirAtomic creates missing parents; a deleted run must not come back holding only a model. */
  private async requireRunDir(): Promise<void> {
    await fs.stat(this.runDir);
  }

  private beginSegment(heartbeatIntervalMs: number): void {
    this.segmentStartMs = this.context.now().getTime();
    this.priorDurationMs = this.current.summary.durationMs ?? 0;
    this.stopHeartbeat();
    if (heartbeatIntervalMs > 0) {
      // A failed beat is not fatal: the next epoch's write reports the same problem to the trainer.
      this.heartbeatTimer = setInterval(() => void this.heartbeat().catch(() => undefined), heartbeatIntervalMs);
      // The heartbeat alone must not keep a finished trainer process alive.
      this.heartbeatTimer.unref();
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async end(status: FinishedStatus, error: string | undefined, endedAt: string): Promise<void> {
    this.stopHeartbeat();
    const record = this.current;
    record.status = status;
    record.endedAt = endedAt;
    if (error !== undefined) record.error = error;
    else delete record.error;
    if (this.segmentStartMs !== undefined) {
      const segmentMs = Math.max(0, Date.parse(endedAt) - this.segmentStartMs);
      record.summary.durationMs = this.priorDurationMs + (Number.isFinite(segmentMs) ? segmentMs : 0);
      this.segmentStartMs = undefined;
    }
    await this.closeMetrics();
    await this.saveRecord();
  }

  /**
   * Writes run.json under the record lock. Name, notes and tags belong to the user (edited through the
   * store while training runs), and the Slurm job to its submitter, so they are taken from the file on
   * disk rather than overwritten.
   */
  private async saveRecord(): Promise<void> {
    const record = this.current;
    const ops = this.context.ops;
    await attributed(this.paths.record, () => withRecordLock(this.paths.recordLock, async () => {
      const onDisk = await readRecordText(this.paths.record).then(
        (text) => parseRunRecord(JSON.parse(text), record.id),
        () => undefined,
      );
      if (onDisk?.ok) {
        record.name = onDisk.record.name;
        if (onDisk.record.notes !== undefined) record.notes = onDisk.record.notes;
        else delete record.notes;
        if (onDisk.record.tags !== undefined) record.tags = onDisk.record.tags;
        else delete record.tags;
        // The Slurm job is the submitter's to record, possibly after this trainer started.
        if (onDisk.record.slurm !== undefined) record.slurm = onDisk.record.slurm;
      }
      record.updatedAt = this.context.now().toISOString();
      await writeJsonAtomic(this.paths.record, record, ops);
    }, { ops, isAlive: this.context.isAlive }));
  }

  /** One write call per line (O_APPEND), so a reader sees whole lines except, after a crash, a cut last one. */
  private async appendLine(event: TrainingEvent): Promise<void> {
    const recorded = toRecordedEvent(event);
    if (!recorded) return;
    await attributed(this.paths.metrics, async () => {
      const handle = await this.openMetrics();
      const line = Buffer.from((this.metricsNeedsNewline ? '\n' : '') + JSON.stringify(recorded) + '\n', 'utf8');
      this.metricsNeedsNewline = true;
      let offset = 0;
      while (offset < line.length) {
        const { bytesWritten } = await handle.write(line, offset, line.length - offset);
        offset += bytesWritten;
      }
      this.metricsNeedsNewline = false;
    });
  }

  private async openMetrics(): Promise<OpenFile> {
    if (this.metrics) return this.metrics;
    const handle = await this.context.ops.open(this.paths.metrics, 'a+');
    try {
      // A previous process may have died mid-line; start ours on a fresh line.
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) this.metricsNeedsNewline = true;
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.metrics = handle;
    return handle;
  }

  private async closeMetrics(): Promise<void> {
    const handle = this.metrics;
    this.metrics = undefined;
    await handle?.close();
  }

  private async appendLog(line: string): Promise<void> {
    const text = line.endsWith('\n') ? line : `${line}\n`;
    await attributed(this.paths.log, () => this.context.ops.appendFile(this.paths.log, `${this.context.now().toISOString()} ${text}`));
  }

  /** Runs `task` after every earlier call has settled; its file errors come back as RunStoreErrors. */
  private enqueue(action: RunStoreAction, path: string, task: () => Promise<void>): Promise<void> {
    const run = this.tail.then(task).catch((error: unknown) => {
      throw RunStoreError.fromFileError(error, action, path);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
