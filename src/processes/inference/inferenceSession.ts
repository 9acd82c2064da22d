// The inference process's work: loads run models (kept warm, reloaded when their files change),
// classifies requested images in batches and streams one message per image. Requests run side by
// side, taking turns between batches, so a one-image request (an explanation the user just asked
// for) is not stuck behind a folder of thousands.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ImageClassifier, type ParallelPredictor } from '../../core/classify/imageClassifier';
import { resolveTrainingThreads } from '../../core/train/trainingThreads';
import { DecodePool, defaultDecodeWorkers } from '../../core/data/decodePool';
import type { DecodedFiles } from '../../core/data/decodeImageFiles';
import type { SaliencyMap } from '../../core/inspect/saliencyMap';
import { errorMessage } from '../../core/errorMessage';
import type { FromInference, InferenceModelInfo, ToInference } from '../../protocol/inference';

type ClassifyRequest = Extract<ToInference, { type: 'classify' }>;

export interface InferenceSessionOptions {
  /** Models kept loaded at once; the least recently used one is disposed beyond this. Default 2. */
  maxModels?: number;
  /** Images decoded and predicted together. Default 32. */
  batchSize?: number;
  /** Decode worker threads (0 = decode on the main thread). Default: 2 when the machine has 3+ cores, else 0. */
  decodeWorkers?: number;
  /**
   * Threads that predict a large request (PARALLEL_MIN_IMAGES or more images, without heat maps) side
   * by side. Default: every core on the wasm backend (as training's `auto`), one on the native backend.
   */
  predictThreads?: number;
  /** Loads a run's classifier (default ImageClassifier.fromRun); tests give one that fails on purpose. */
  loadClassifier?: (runDir: string) => Promise<ImageClassifier>;
}

/** Images from which a request is predicted on several threads: below it, starting them costs more than it saves. */
export const PARALLEL_MIN_IMAGES = 512;
/** Images decoded and predicted together when several threads predict: enough for each to have a share. */
const PARALLEL_BATCH = 128;

interface LoadedModel {
  classifier: Promise<ImageClassifier>;
  /** Changes when the run's model files are rewritten (a resumed or retrained run). */
  stamp: string;
  /** Requests using the model now: it is disposed only when none is. */
  users: number;
  /** Replaced by a newer load (or evicted): dispose as soon as the last user lets go. */
  stale: boolean;
}

/** Size and modification time of the model files: cheap to read before every request. */
async function modelStamp(runDir: string): Promise<string> {
  const parts: string[] = [];
  for (const file of ['model.json', 'weights.bin']) {
    const stat = await fs.stat(join(runDir, 'model', file)).catch(() => undefined);
    parts.push(stat ? `${stat.size}:${stat.mtimeMs}` : '-');
  }
  return parts.join('/');
}

function describeModel(classifier: ImageClassifier, runDir: string): InferenceModelInfo {
  const run = classifier.run;
  const modelKind = run.model?.kind ?? run.spec?.model?.kind;
  return {
    runId: run.id,
    runName: run.name,
    runDir,
    ...(modelKind ? { modelKind } : {}),
    classes: classifier.classes,
    inputShape: classifier.inputShape,
    ...(run.summary?.bestValAcc !== undefined ? { accuracy: run.summary.bestValAcc } : {}),
    ...(run.summary?.bestValAcc === undefined && run.summary?.bestTrainAcc !== undefined ? { trainAccuracy: run.summary.bestTrainAcc } : {}),
  };
}

/**
 * A user-facing message for an image that failed: the classifier's own wording for files it cannot
 * read or decode (it names the file and says why), else the reason the batch gave.
 */
async function describeFailure(classifier: ImageClassifier, image: string, reason: string | undefined): Promise<string> {
  if (reason?.startsWith('the model failed')) return `${image}: ${reason}.`;
  try {
    await classifier.preprocess(image);
  } catch (error) {
    return errorMessage(error);
  }
  return `${image}: ${reason ?? 'could not be classified'}.`;
}

/**
 * Decode threads for classification: only when two can run beside the main thread. One worker on a
 * two-core machine measured no faster than decoding on the main thread (bench/classifyBench.ts):
 * prediction takes little time to overlap with, and the pixels must cross threads.
 */
function inferenceDecodeWorkers(): number {
  const workers = defaultDecodeWorkers();
  return workers >= 2 ? workers : 0;
}

/** Three decimals are plenty for a heat map and keep a large one's message small. */
function roundSaliency(map: SaliencyMap): SaliencyMap {
  return { ...map, values: map.values.map((row) => row.map((v) => Math.round(v * 1000) / 1000)) };
}

const nextTurn = () => new Promise<void>((done) => setImmediate(done));

export class InferenceSession {
  /** Loaded models by run folder, least recently used first. */
  private readonly models = new Map<string, LoadedModel>();
  private readonly cancelled = new Set<number>();
  private readonly maxModels: number;
  private readonly batchSize: number;
  private readonly predictThreads: number | undefined;
  /** One request at a time predicts on every core; others meanwhile take turns on this thread. */
  private parallelBusy = false;
  /** Decodes the next batch off the main thread while this one is predicted and sent. */
  private readonly decoder: DecodePool;
  private readonly loadClassifier: (runDir: string) => Promise<ImageClassifier>;

  constructor(
    private readonly send: (message: FromInference) => void | Promise<void>,
    /** Resolves once the TensorFlow.js backend is ready; requests wait for it. */
    private readonly backendReady: Promise<unknown> = Promise.resolve(),
    options: InferenceSessionOptions = {},
  ) {
    this.maxModels = Math.max(1, options.maxModels ?? 2);
    this.batchSize = Math.max(1, options.batchSize ?? 32);
    this.predictThreads = options.predictThreads;
    this.decoder = new DecodePool(options.decodeWorkers ?? inferenceDecodeWorkers());
    this.loadClassifier = options.loadClassifier ?? ((runDir) => ImageClassifier.fromRun(runDir));
  }

  /** Runs a request; resolves when its `done` has been sent. */
  classify(request: ClassifyRequest): Promise<void> {
    return this.run(request);
  }

  cancel(id: number): void {
    this.cancelled.add(id);
  }

  dispose(): void {
    for (const entry of this.models.values()) void entry.classifier.then((c) => c.dispose(), () => undefined);
    this.models.clear();
    void this.decoder.close();
  }

  private static release(entry: LoadedModel): void {
    if (entry.users === 0 && entry.stale) void entry.classifier.then((c) => c.dispose(), () => undefined);
  }

  /** The run's model, loaded once and shared; call `release` when done with it. */
  private async model(runDir: string): Promise<{ classifier: ImageClassifier; release(): void }> {
    const stamp = await modelStamp(runDir);
    let entry = this.models.get(runDir);
    if (entry && entry.stamp !== stamp) {
      entry.stale = true;
      this.models.delete(runDir);
      InferenceSession.release(entry);
      entry = undefined;
    }
    if (!entry) {
      const loading = this.loadClassifier(runDir);
      entry = { classifier: loading, stamp, users: 0, stale: false };
      const created = entry;
      // A failed load is not kept: the next request tries again (the user may fix the files).
      loading.catch(() => {
        if (this.models.get(runDir) === created) this.models.delete(runDir);
      });
    }
    // Most recently used last, so the first entries are the ones to evict.
    this.models.delete(runDir);
    this.models.set(runDir, entry);
    entry.users += 1;
    for (const [dir, other] of this.models) {
      if (this.models.size <= this.maxModels) break;
      if (other === entry || other.users > 0) continue;
      other.stale = true;
      this.models.delete(dir);
      InferenceSession.release(other);
    }
    const used = entry;
    const release = () => {
      used.users -= 1;
      InferenceSession.release(used);
    };
    try {
      return { classifier: await used.classifier, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private async run(request: ClassifyRequest): Promise<void> {
    const { id } = request;
    const started = performance.now();
    let counts = { classified: 0, failed: 0 };
    const runDir = resolve(request.runDir);
    try {
      await this.backendReady;
      const model = await this.model(runDir).catch((error: unknown) => {
        throw new Error(`The model of ${runDir} cannot be used: ${errorMessage(error)}`);
      });
      try {
        counts = await this.classifyWith(model.classifier, request, runDir);
      } finally {
        model.release();
      }
    } catch (error) {
      await this.send({ type: 'error', id, message: errorMessage(error) });
    }
    const cancelled = this.cancelled.delete(id);
    await this.send({ type: 'done', id, ...counts, cancelled, elapsedMs: performance.now() - started });
  }

  private async classifyWith(classifier: ImageClassifier, request: ClassifyRequest, runDir: string): Promise<{ classified: number; failed: number }> {
    const { id, images, topK } = request;
    let classified = 0;
    let failed = 0;
    await this.send({ type: 'model', id, model: describeModel(classifier, runDir) });

    // The same decode + resize as training (decodeImageFiles is what the dataset readers run), on
    // worker threads, one batch ahead of the prediction.
    const shape = classifier.inputShape;
    const bytes = shape[0] * shape[1] * shape[2];
    // A large request without heat maps is predicted on every core; its threads live for the request.
    let parallel = await this.parallelFor(classifier, request);
    const usedParallel = parallel !== undefined;
    const batchSize = parallel ? PARALLEL_BATCH : this.batchSize;
    const decode = (start: number): Promise<DecodedFiles> => {
      const decoding = this.decoder.decode(images.slice(start, start + batchSize), shape);
      decoding.catch(() => undefined); // a batch decoded ahead of a cancelled request is never awaited
      return decoding;
    };
    let next: Promise<DecodedFiles> | undefined = decode(0);
    try {
      for (let start = 0; next && !this.cancelled.has(id); start += batchSize) {
        const batch = images.slice(start, start + batchSize);
        const decoded = await next;
        next = start + batchSize < images.length ? decode(start + batchSize) : undefined;
        const reasons = new Map(decoded.failures.map((f) => [f.index, f.reason]));
        const readable = batch.flatMap((_, k) => (reasons.has(k) ? [] : [{ k, pixels: decoded.pixels.subarray(k * bytes, (k + 1) * bytes) }]));
        let probabilities: number[][] = [];
        try {
          const pixels = readable.map((r) => r.pixels);
          if (parallel && readable.length > 0) {
            // Threads that fail (one died, memory ran out) leave the rest of the request to this thread.
            probabilities = await parallel.predictPixels(pixels).catch(async () => {
              await parallel?.dispose().catch(() => undefined);
              parallel = undefined;
              return classifier.predictPixels(pixels);
            });
          } else {
            probabilities = readable.length === 0 ? [] : classifier.predictPixels(pixels);
          }
        } catch (error) {
          // A model that cannot run (say, weights that loaded but do not fit) fails every image the same way.
          for (const r of readable) reasons.set(r.k, `the model failed (${errorMessage(error)})`);
          readable.length = 0;
        }
        const byPosition = new Map(readable.map((r, n) => [r.k, { pixels: r.pixels, probabilities: probabilities[n] }]));
        // A batch's messages go out back to back; waiting for them once per batch keeps the channel
        // from piling up without a round trip per image.
        const sent: (void | Promise<void>)[] = [];
        for (let k = 0; k < batch.length; k++) {
          const index = start + k;
          const image = batch[k];
          const ok = byPosition.get(k);
          if (!ok) {
            failed += 1;
            sent.push(this.send({ type: 'error', id, index, image, message: await describeFailure(classifier, image, reasons.get(k)) }));
            continue;
          }
          const ranked = ok.probabilities
            .map((probability, c) => ({ label: classifier.classes[c], probability, c }))
            .sort((a, b) => b.probability - a.probability);
          let saliency: SaliencyMap | undefined;
          let saliencyError: string | undefined;
          if (request.saliency) {
            try {
              saliency = roundSaliency(classifier.explain(ok.pixels, ranked[0].c));
            } catch (error) {
              // The prediction stands without its explanation, and the page says why instead of waiting for it.
              saliencyError = `The heat map could not be computed: ${errorMessage(error)}`;
            }
          }
          classified += 1;
          sent.push(this.send({
            type: 'result', id, index, image,
            top: ranked.slice(0, topK).map(({ label, probability }) => ({ label, probability })),
            ...(saliency ? { saliency } : {}),
            ...(saliencyError !== undefined ? { saliencyError } : {}),
          }));
        }
        await Promise.all(sent);
        await nextTurn(); // lets a cancel message in between batches
      }
    } finally {
      if (parallel) await parallel.dispose().catch(() => undefined);
      if (usedParallel) this.parallelBusy = false;
    }
    await next?.catch(() => undefined); // a batch decoded ahead for a cancelled request
    return { classified, failed };
  }

  /** Prediction threads for a request large enough to gain from them, or none. */
  private async parallelFor(classifier: ImageClassifier, request: ClassifyRequest): Promise<ParallelPredictor | undefined> {
    if (request.images.length < PARALLEL_MIN_IMAGES || request.saliency || this.parallelBusy) return undefined;
    const backend = tf.getBackend();
    const threads = this.predictThreads ?? resolveTrainingThreads('auto', { native: backend === 'tensorflow' });
    if (threads <= 1) return undefined;
    this.parallelBusy = true;
    try {
      const predictor = await classifier.parallelPredictor(threads, backend === 'cpu' ? 'cpu' : 'wasm');
      if (predictor.threads > 1) return predictor;
      await predictor.dispose();
    } catch {
      // Prediction stays on this thread.
    }
    this.parallelBusy = false;
    return undefined;
  }
}
