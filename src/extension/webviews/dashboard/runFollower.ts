// One run's folder as its dashboard shows it: a snapshot of everything, then, file by file as the runs
// folder reports changes, what is new (metrics.jsonl from the last offset read, run.json, the confusion
// matrices, predictions, the best model), and the answers to the page's requests. No VS Code API here.
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage } from '../../../core/errorMessage';
import { ExamplePixelReader, parseExampleSource } from '../../../core/inspect/examplePixels';
import { ModelGraphError, type ModelGraph } from '../../../core/inspect/modelGraph';
import { readModelGraph } from '../../../core/inspect/readModelGraph';
import { readLayerWeightStatistics } from '../../../core/inspect/weightStatistics';
import type { ConfusionFile, PredictionsFile } from '../../../core/runs/runFiles';
import { runPaths, type RunFileKind, type RunPaths } from '../../../core/runs/runLayout';
import type { RecordedEvent } from '../../../core/runs/recordedEvent';
import type { RunRecord } from '../../../core/runs/runRecord';
import type { RunStore } from '../../../core/runs/runStore';
import type { ConfusionView, ModelGraphState, PredictionsView, SampleImage, SampleImagesAccess, ToDashboardView } from '../../../protocol/dashboardView';
import { datasetImagesAccess, resolveSampleFile, type DatasetImagesAccess, type ImageFolders } from './datasetImages';
import { MetricsFold, toEpochPoint, toTestResult, toTrainingStart } from './foldMetrics';

export interface RunFollowerOptions {
  /** Where the messages for the page go. */
  send(message: ToDashboardView): void;
  /** A URI the page may load an image file from (a real path inside the dataset root the page was given). */
  imageUri(path: string): string;
  /** The folders whose datasets may be shown now (see datasetImages.ts). */
  imageFolders(): ImageFolders;
  /** run.json was read anew. */
  onRecord?(run: RunRecord): void;
}

function toConfusionView(file: ConfusionFile): ConfusionView {
  return { epoch: file.epoch, split: file.split, classes: file.classes, matrix: file.matrix, perClass: file.perClass };
}

function sampleName(source: string): string {
  const inFile = parseExampleSource(source);
  return inFile ? `${basename(inFile.file)}#${inFile.index}` : basename(source);
}

function toPredictionsView(file: PredictionsFile): PredictionsView {
  return {
    epoch: file.epoch,
    classes: file.classes,
    items: file.items.map((item, index) => ({
      index, label: item.label, predicted: item.predicted, confidence: item.confidence, name: sampleName(item.source),
    })),
  };
}

/** Matrices exist for these validation epochs (and maybe the test split). */
async function listConfusion(paths: RunPaths): Promise<{ epochs: number[]; hasTest: boolean }> {
  const names = await fs.readdir(paths.confusionDir).catch(() => [] as string[]);
  const epochs = names.flatMap((name) => {
    const match = /^epoch-(\d+)\.json$/.exec(name);
    return match ? [Number(match[1])] : [];
  }).sort((a, b) => a - b);
  return { epochs, hasTest: names.includes('test.json') };
}

/** What the page is told about showing the dataset's images (never a folder it may not show). */
function toAccessView(access: DatasetImagesAccess): SampleImagesAccess {
  return access.shown ? { shown: true } : { shown: false, reason: access.reason, ...(access.folder ? { folder: access.folder } : {}), canAllow: access.canAllow };
}

export class RunFollower {
  private readonly paths: RunPaths;
  private readonly pixels = new ExamplePixelReader();
  private current?: RunRecord;
  private metricsOffset = 0;
  /** The run's metrics as folded so far (batch points bounded): the snapshot's, then each change's. */
  private fold = new MetricsFold();
  private predictions?: PredictionsFile;
  private graph?: ModelGraph;
  private confusionList = '';
  /** Whether (and from which real folder) the run's dataset images may be shown, as of the last record read. */
  private access: DatasetImagesAccess = { shown: false, reason: 'The run has not been read yet.', canAllow: false };
  /** The page has its snapshot; until then changes are not sent (the snapshot will hold them). */
  private snapshotSent = false;

  constructor(private readonly store: RunStore, readonly runId: string, private readonly options: RunFollowerOptions) {
    this.paths = runPaths(store.runDir(runId));
  }

  /** The record as last read. */
  get run(): RunRecord | undefined {
    return this.current;
  }

  /** The page is gone (its tab hidden): the next change waits for a new snapshot. */
  forget(): void {
    this.snapshotSent = false;
  }

  /** Reads run.json only (for the tab's title and the page's image folder before the page loads). */
  async readRecord(): Promise<RunRecord | undefined> {
    this.current = await this.store.read(this.runId).catch(() => undefined);
    await this.checkAccess();
    return this.current;
  }

  /** Whether the dataset's images may be shown, as of the last record read. */
  get datasetAccess(): DatasetImagesAccess {
    return this.access;
  }

  /** Decides anew whether the dataset's images may be shown (the record or the chosen folders changed). */
  async checkAccess(): Promise<DatasetImagesAccess> {
    this.access = await datasetImagesAccess(this.current, this.options.imageFolders());
    return this.access;
  }

  /** Sends everything the dashboard shows, or why the run cannot be read. */
  async sendSnapshot(): Promise<void> {
    let run: RunRecord;
    try {
      run = await this.store.read(this.runId);
    } catch (error) {
      // A run folder still being created, or damaged: say so; its next change tries again.
      this.options.send({ type: 'runError', message: errorMessage(error) });
      return;
    }
    this.current = run;
    await this.checkAccess();
    // Read a chunk at a time into bounded series: a long run's metrics.jsonl is never held whole.
    const folded = new MetricsFold();
    const read = await this.store.streamMetricsFrom(this.runId, 0, (event) => folded.add(event));
    this.metricsOffset = read.nextOffset;
    this.fold = folded;
    // The batches of a point still filling are shown too; when it fills, the page gets the points anew.
    folded.batches.markSent(true);
    const list = await listConfusion(this.paths);
    this.confusionList = JSON.stringify(list);
    const shownEpoch = run.summary.bestEpoch ?? list.epochs[list.epochs.length - 1];
    const confusionFile = shownEpoch === undefined ? undefined : await this.store.readConfusion(this.runId, shownEpoch).catch(() => undefined);
    this.predictions = await this.store.readPredictions(this.runId).catch(() => undefined);
    this.snapshotSent = true;
    this.options.send({
      type: 'snapshot',
      snapshot: {
        run,
        ...(folded.start ? { start: folded.start } : {}),
        batches: folded.batches.series(true),
        batchCount: folded.batches.batchCount,
        batchesPerPoint: folded.batches.batchesPerPoint,
        epochs: folded.epochs,
        ...(folded.test ? { test: folded.test } : {}),
        confusionEpochs: list.epochs,
        hasTestConfusion: list.hasTest,
        ...(confusionFile ? { confusion: toConfusionView(confusionFile) } : {}),
        ...(this.predictions ? { predictions: toPredictionsView(this.predictions) } : {}),
        model: await this.readModel(),
        skippedLines: read.skippedLines,
        sampleImages: toAccessView(this.access),
      },
    });
  }

  /** Sends what changed in the run's files of `kind`. */
  async changed(kind: RunFileKind): Promise<void> {
    if (!this.snapshotSent) {
      await this.sendSnapshot();
      return;
    }
    switch (kind) {
      case 'metrics': return this.sendNewMetrics();
      case 'record': return this.sendRecord();
      case 'confusion': return this.sendConfusionList();
      case 'predictions':
        this.predictions = await this.store.readPredictions(this.runId).catch(() => undefined);
        this.options.send({ type: 'predictions', predictions: this.predictions ? toPredictionsView(this.predictions) : undefined });
        return;
      case 'bestModel':
        this.options.send({ type: 'model', model: await this.readModel() });
        return;
      default:
        return;
    }
  }

  async sendConfusion(epoch: number | 'test'): Promise<void> {
    const file = await this.store.readConfusion(this.runId, epoch).catch(() => undefined);
    this.options.send({ type: 'confusion', epoch, ...(file ? { confusion: toConfusionView(file) } : {}) });
  }

  async sendWeightStatistics(layer: string): Promise<void> {
    if (!this.graph?.layers.some((node) => node.name === layer)) return;
    try {
      this.options.send({ type: 'weightStatistics', layer, statistics: await readLayerWeightStatistics(this.paths.bestModelDir, layer) });
    } catch (error) {
      this.options.send({ type: 'weightStatistics', layer, error: errorMessage(error) });
    }
  }

  async sendSampleImages(indices: readonly number[]): Promise<void> {
    this.options.send({ type: 'sampleImages', images: await Promise.all(indices.map((index) => this.sampleImage(index))) });
  }

  /**
   * The image file of a validation sample, as a real path inside the run's dataset folder; undefined
   * for samples inside binary dataset files, and for any path the run's files name elsewhere.
   */
  async sampleFile(index: number): Promise<string | undefined> {
    const item = this.predictions?.items[index];
    if (!item || parseExampleSource(item.source) || !this.access.shown) return undefined;
    return resolveSampleFile(item.source, this.access.root);
  }

  async setNotes(notes: string, tags: readonly string[]): Promise<void> {
    this.current = await this.store.setNotes(this.runId, notes, tags);
    this.options.send({ type: 'status', run: this.current });
  }

  private async sampleImage(index: number): Promise<SampleImage> {
    const item = this.predictions?.items[index];
    if (!item) return { index, kind: 'missing', reason: 'No such sample.' };
    const access = this.access;
    if (!access.shown) return { index, kind: 'missing', reason: access.reason };
    // Only a file inside the dataset folder, however predictions.json names it (.., links, other folders).
    const file = await resolveSampleFile(item.source, access.root);
    if (file === undefined) return { index, kind: 'missing', reason: `${sampleName(item.source)} is not a file inside the run's dataset folder.` };
    const inFile = parseExampleSource(item.source);
    const format = this.current?.dataset?.format;
    if (inFile) {
      if (!format || format === 'folder') return { index, kind: 'missing', reason: 'The run\'s dataset has no records inside files.' };
      try {
        const example = await this.pixels.read(`${file}#${inFile.index}`, format);
        return { index, kind: 'pixels', width: example.width, height: example.height, channels: example.channels, pixels: Buffer.from(example.data).toString('base64') };
      } catch (error) {
        return { index, kind: 'missing', reason: errorMessage(error) };
      }
    }
    return { index, kind: 'uri', uri: this.options.imageUri(file) };
  }

  private async readModel(): Promise<ModelGraphState> {
    try {
      this.graph = await readModelGraph(this.paths.bestModelDir);
      return this.graph ? { state: 'ready', graph: this.graph } : { state: 'none' };
    } catch (error) {
      this.graph = undefined;
      return { state: 'error', message: error instanceof ModelGraphError ? error.message : `Cannot read the model: ${errorMessage(error)}` };
    }
  }

  private async sendRecord(): Promise<void> {
    try {
      this.current = await this.store.read(this.runId);
    } catch (error) {
      this.options.send({ type: 'runError', message: errorMessage(error) });
      return;
    }
    await this.checkAccess();
    this.options.onRecord?.(this.current);
    this.options.send({ type: 'status', run: this.current });
  }

  private async sendConfusionList(): Promise<void> {
    const list = await listConfusion(this.paths);
    const text = JSON.stringify(list);
    if (text === this.confusionList) return;
    this.confusionList = text;
    this.options.send({ type: 'confusionEpochs', epochs: list.epochs, hasTest: list.hasTest });
  }

  /**
   * New complete lines of metrics.jsonl, in file order and as few messages as possible: the batch points
   * completed since the last message go in one (all of them anew when points merged or a resume dropped some).
   */
  private async sendNewMetrics(): Promise<void> {
    const fold = this.fold;
    const events: RecordedEvent[] = [];
    const read = await this.store.streamMetricsFrom(this.runId, this.metricsOffset, (event) => events.push(event));
    if (read.nextOffset < this.metricsOffset) {
      // The file was replaced (shorter than what was read): start over.
      await this.sendSnapshot();
      return;
    }
    this.metricsOffset = read.nextOffset;
    const flushBatches = (): void => {
      const update = fold.batches.takeNew();
      if (update.batches.step.length === 0 && !update.replace) return;
      this.options.send({
        type: 'batchEnd', batches: update.batches, batchCount: fold.batches.batchCount, batchesPerPoint: fold.batches.batchesPerPoint,
        ...(update.replace ? { replace: true } : {}),
      });
    };
    let recordChanged = false;
    for (const event of events) {
      fold.add(event);
      if (event.type === 'batchEnd') continue;
      switch (event.type) {
        case 'runStart':
          this.options.send({ type: 'trainingStart', start: toTrainingStart(event) });
          recordChanged = true;
          break;
        case 'epochEnd':
          flushBatches();
          this.options.send({ type: 'epochEnd', epoch: toEpochPoint(event) });
          await this.sendConfusionList();
          if (event.isBest) {
            const file = await this.store.readConfusion(this.runId, event.epoch).catch(() => undefined);
            if (file) this.options.send({ type: 'confusion', epoch: event.epoch, confusion: toConfusionView(file) });
          }
          recordChanged = true;
          break;
        case 'testEnd':
          flushBatches();
          this.options.send({ type: 'testEnd', test: toTestResult(event) });
          await this.sendConfusionList();
          break;
        case 'runEnd':
          recordChanged = true;
          break;
      }
    }
    flushBatches();
    if (recordChanged) await this.sendRecord();
  }
}
