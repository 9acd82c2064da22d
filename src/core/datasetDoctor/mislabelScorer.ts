// Likely mislabelled images: a finished run's best model is run over every image of the dataset (with
// the engine's model loading and preprocessing); images it contradicts with high confidence are ranked
// by their loss. The run's predictions.json tells which images it held out for validation.
import { ImageClassifier } from '../classify/imageClassifier';
import { openRunFolder } from '../runs/openRunFolder';
import type { ImageShape } from '../runSpec';
import type { ExampleRole, ImageRef, MislabelledFinding, RunSummaryForReport } from './datasetReport';
import { shortName } from './findingText';

export const MISLABEL_SETTINGS = {
  /** An image is a candidate when the model predicts another class with at least this probability. */
  minConfidence: 0.5,
  /** At most this many findings, highest loss first. */
  maxFindings: 100,
} as const;

// Small batches run faster on the wasm backend here (they stay in cache): 64 beat 256 by a third.
const BATCH = 64;
/** Probabilities below this count as this much in the loss (-ln 1e-7 = 16.1). */
const MIN_PROBABILITY = 1e-7;

interface Score {
  predicted: number;
  confidence: number;
  labelProbability: number;
}

export class MislabelScorer {
  private readonly scores = new Map<number, Score>();
  private pending: { id: number; label: number; pixels: Uint8Array }[] = [];
  private correct = 0;

  private constructor(
    private readonly classifier: ImageClassifier,
    private readonly runDir: string,
    /** Dataset class index -> model class index (-1: the model does not know the class). */
    private readonly toModel: number[],
    private readonly validationSources: ReadonlySet<string>,
    private readonly epoch: number | undefined,
  ) {}

  /** Loads the run's best model; `classes` are the dataset's class names. */
  static async open(runDir: string, classes: readonly string[], onWarning: (message: string) => void): Promise<MislabelScorer> {
    const { store, record, runDir: absolute } = await openRunFolder(runDir);
    const classifier = await ImageClassifier.fromRun(absolute);
    const toModel = classes.map((name) => classifier.classes.indexOf(name));
    const unknown = classes.filter((_, c) => toModel[c] < 0);
    if (unknown.length === classes.length) {
      classifier.dispose();
      throw new Error(`Run "${record.name}" was trained on other classes (${classifier.classes.join(', ')}) than this dataset's (${classes.join(', ')}).`);
    }
    if (unknown.length > 0) {
      onWarning(`Run "${record.name}" was not trained on class${unknown.length > 1 ? 'es' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}: their images are not checked for mislabelling.`);
    }
    const predictions = await store.readPredictions(record.id).catch(() => undefined);
    const validation = new Set((predictions?.items ?? []).map((item) => item.source));
    return new MislabelScorer(classifier, absolute, toModel, validation, predictions?.epoch ?? record.summary.bestEpoch);
  }

  /** The shape the model takes: pixels handed to `add` must have it. */
  get inputShape(): ImageShape {
    return this.classifier.inputShape;
  }

  /** Queues one image (packed pixels at `inputShape`) for scoring; runs the model on full batches. */
  add(id: number, classIndex: number, pixels: Uint8Array): void {
    const label = this.toModel[classIndex];
    if (label < 0) return;
    this.pending.push({ id, label, pixels: pixels.slice() });
    if (this.pending.length >= BATCH) this.flush();
  }

  /** Scores what is queued. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const probabilities = this.classifier.predictPixels(batch.map((entry) => entry.pixels));
    batch.forEach((entry, k) => {
      const row = probabilities[k];
      let predicted = 0;
      for (let c = 1; c < row.length; c++) if (row[c] > row[predicted]) predicted = c;
      if (predicted === entry.label) this.correct++;
      this.scores.set(entry.id, { predicted, confidence: row[predicted], labelProbability: row[entry.label] });
    });
  }

  /** Findings for the images the model contradicts most, and a summary of the run's check. */
  results(root: string, images: (id: number) => ImageRef, maxFindings: number = MISLABEL_SETTINGS.maxFindings):
  { findings: MislabelledFinding[]; run: RunSummaryForReport } {
    this.flush();
    const modelClasses = this.classifier.classes;
    const candidates = [...this.scores]
      .map(([id, score]) => ({ id, ...score, loss: -Math.log(Math.max(score.labelProbability, MIN_PROBABILITY)) }))
      .filter((c) => modelClasses[c.predicted] !== images(c.id).className && c.confidence >= MISLABEL_SETTINGS.minConfidence)
      .sort((a, b) => b.loss - a.loss || a.id - b.id)
      .slice(0, maxFindings);
    const findings = candidates.map((candidate, k): MislabelledFinding => {
      const image = images(candidate.id);
      const role: ExampleRole = image.split === 'test' ? 'test' : this.validationSources.has(image.source) ? 'validation' : 'training';
      const predicted = modelClasses[candidate.predicted];
      const percent = `${(candidate.confidence * 100).toFixed(candidate.confidence >= 0.995 ? 1 : 0)}%`;
      const name = shortName(root, image.source);
      const message = role === 'training'
        ? `${name} is labelled '${image.className}', but the model trained on it predicts '${predicted}' (${percent}); ` +
          `its training loss is ${candidate.loss.toFixed(2)}. Check the label.`
        : `${name} is labelled '${image.className}', but the model predicts '${predicted}' with ${percent} confidence ` +
          `(a ${role} image the model never trained on). Check the label.`;
      return {
        kind: 'likelyMislabelled', files: [image.source], message, image, role, predicted,
        confidence: candidate.confidence, labelProbability: candidate.labelProbability, loss: candidate.loss, rank: k + 1,
      };
    });
    return {
      findings,
      run: {
        runDir: this.runDir,
        name: this.classifier.runName,
        epoch: this.epoch,
        examined: this.scores.size,
        accuracy: this.scores.size === 0 ? 0 : this.correct / this.scores.size,
        validation: this.validationSources.size,
      },
    };
  }

  dispose(): void {
    this.classifier.dispose();
  }
}

