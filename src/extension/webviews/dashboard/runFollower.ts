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
import type { RunRecord } from '../../../core/runs/runRecord';
import type { RunStore } from '../../../core/runs/runStore';
import type { ConfusionView, ModelGraphState, PredictionsView, SampleImage, ToDashboardView } from '../../../protocol/dashboardView';
import { appendBatch, emptyBatchSeries, foldMetrics, toEpochPoint, toTestResult, toTrainingStart } from './foldMetrics';

export interface RunFollowerOptions {
  /** Where the messages for the page go. */
  send(message: ToDashboardView): void;
  /** A URI the page may load an image file from. */
  imageUri(path: string): string;
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

export class RunFollower {
  private readonly paths: RunPaths;
  private readonly pixels = new ExamplePixelReader();
  private current?: RunRecord;
  private metricsOffset = 0;
  private predictions?: PredictionsFile;
  private graph?: ModelGraph;
  private confusionList = '';
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

  /** Reads run.json only (for the tab's title before the page loads). */
  async readRecord(): Promise<RunRecord | undefined> {
    this.current = await this.store.read(this.runId).catch(() => undefined);
    return this.current;
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
    const chunk = await this.store.readMetricsFrom(this.runId, 0);
    this.metricsOffset = chunk.nextOffset;
    const folded = foldMetrics(chunk.events);
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
        batches: folded.batches,
        epochs: folded.epochs,
        ...(folded.test ? { test: folded.test } : {}),
        confusionEpochs: list.epochs,
        hasTestConfusion: list.hasTest,
        ...(confusionFile ? { confusion: toConfusionView(confusionFile) } : {}),
        ...(this.predictions ? { predictions: toPredictionsView(this.predictions) } : {}),
        model: await this.readModel(),
        skippedLines: chunk.skippedLines,
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

  /** The image file of a validation sample (undefined for samples inside binary dataset files). */
  sampleFile(index: number): string | undefined {
    const item = this.predictions?.items[index];
    return item && !parseExampleSource(item.source) ? item.source : undefined;
  }

  async setNotes(notes: string, tags: readonly string[]): Promise<void> {
    this.current = await this.store.setNotes(this.runId, notes, tags);
    this.options.send({ type: 'status', run: this.current });
  }

  private async sampleImage(index: number): Promise<SampleImage> {
    const item = this.predictions?.items[index];
    if (!item) return { index, kind: 'missing', reason: 'No such sample.' };
    const format = this.current?.dataset?.format;
    if (parseExampleSource(item.source) && format && format !== 'folder') {
      try {
        const example = await this.pixels.read(item.source, format);
        return { index, kind: 'pixels', width: example.width, height: example.height, channels: example.channels, pixels: Buffer.from(example.data).toString('base64') };
      } catch (error) {
        return { index, kind: 'missing', reason: errorMessage(error) };
      }
    }
    return { index, kind: 'uri', uri: this.options.imageUri(item.source) };
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

  /** New complete lines of metrics.jsonl, in as few messages as possible: consecutive batches go in one. */
  private async sendNewMetrics(): Promise<void> {
    const chunk = await this.store.readMetricsFrom(this.runId, this.metricsOffset);
    if (chunk.nextOffset < this.metricsOffset) {
      // The file was replaced (shorter than what was read): start over.
      await this.sendSnapshot();
      return;
    }
    this.metricsOffset = chunk.nextOffset;
    let batches = emptyBatchSeries();
    const flushBatches = (): void => {
      if (batches.step.length === 0) return;
      this.options.send({ type: 'batchEnd', batches });
      batches = emptyBatchSeries();
    };
    let recordChanged = false;
    for (const event of chunk.events) {
      if (event.type === 'batchEnd') {
        appendBatch(batches, event);
        continue;
      }
      flushBatches();
      switch (event.type) {
        case 'runStart':
          this.options.send({ type: 'trainingStart', start: toTrainingStart(event) });
          recordChanged = true;
          break;
        case 'epochEnd':
          this.options.send({ type: 'epochEnd', epoch: toEpochPoint(event) });
          await this.sendConfusionList();
          if (event.isBest) {
            const file = await this.store.readConfusion(this.runId, event.epoch).catch(() => undefined);
            if (file) this.options.send({ type: 'confusion', epoch: event.epoch, confusion: toConfusionView(file) });
          }
          recordChanged = true;
          break;
        case 'testEnd':
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
