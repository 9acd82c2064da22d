// The inference process's work: loads run models (kept warm, reloaded when their files change),
// classifies requested images in batches and streams one message per image.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { ImageClassifier } from '../core/classify/imageClassifier';
import { DecodePool, defaultDecodeWorkers } from '../core/data/decodePool';
import type { DecodedFiles } from '../core/data/decodeImageFiles';
import type { FromInferenceMessage, InferenceModelInfo, ToInferenceMessage } from '../protocol/inference';

type ClassifyRequest = Extract<ToInferenceMessage, { type: 'classify' }>;

export interface InferenceSessionOptions {
  /** Models kept loaded at once; the least recently used one is disposed beyond this. Default 2. */
  maxModels?: number;
  /** Images decoded and predicted together. Default 32. */
  batchSize?: number;
  /** Decode worker threads (0 = decode on the main thread). Default: one less than the cores, at most 2. */
  decodeWorkers?: number;
}

interface LoadedModel {
  classifier: ImageClassifier;
  /** Changes when the run's model files are rewritten (a resumed or retrained run). */
  stamp: string;
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
    return (error as Error).message;
  }
  return `${image}: ${reason ?? 'could not be classified'}.`;
}

const nextTurn = () => new Promise<void>((done) => setImmediate(done));

export class InferenceSession {
  private readonly models = new Map<string, LoadedModel>();
  private readonly cancelled = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  private readonly maxModels: number;
  private readonly batchSize: number;
  /** Decodes the next batch off the main thread while this one is predicted and sent. */
  private readonly decoder: DecodePool;

  constructor(
    private readonly send: (message: FromInferenceMessage) => void | Promise<void>,
    /** Resolves once the TensorFlow.js backend is ready; requests wait for it. */
    private readonly backendReady: Promise<unknown> = Promise.resolve(),
    options: InferenceSessionOptions = {},
  ) {
    this.maxModels = Math.max(1, options.maxModels ?? 2);
    this.batchSize = Math.max(1, options.batchSize ?? 32);
    this.decoder = new DecodePool(options.decodeWorkers ?? defaultDecodeWorkers());
  }

  /** Queues a request; requests run one after another. Resolves when this one is done. */
  classify(request: ClassifyRequest): Promise<void> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  cancel(id: number): void {
    this.cancelled.add(id);
  }

  dispose(): void {
    for (const { classifier } of this.models.values()) classifier.dispose();
    this.models.clear();
    void this.decoder.close();
  }

  private async model(runDir: string): Promise<ImageClassifier> {
    const stamp = await modelStamp(runDir);
    const loaded = this.models.get(runDir);
    if (loaded && loaded.stamp === stamp) {
      // Most recently used last, so the first entry is the one to evict.
      this.models.delete(runDir);
      this.models.set(runDir, loaded);
      return loaded.classifier;
    }
    if (loaded) {
      loaded.classifier.dispose();
      this.models.delete(runDir);
    }
    const classifier = await ImageClassifier.fromRun(runDir);
    this.models.set(runDir, { classifier, stamp });
    while (this.models.size > this.maxModels) {
      const [oldest, entry] = this.models.entries().next().value as [string, LoadedModel];
      entry.classifier.dispose();
      this.models.delete(oldest);
    }
    return classifier;
  }

  private async run(request: ClassifyRequest): Promise<void> {
    const { id, images, topK } = request;
    const started = performance.now();
    let classified = 0;
    let failed = 0;
    const finish = async () => {
      const wasCancelled = this.cancelled.delete(id);
      await this.send({ type: 'done', id, classified, failed, cancelled: wasCancelled, elapsedMs: performance.now() - started });
    };
    const runDir = resolve(request.runDir);
    let classifier: ImageClassifier;
    try {
      await this.backendReady;
      classifier = await this.model(runDir);
    } catch (error) {
      await this.send({ type: 'error', id, message: `The model of ${runDir} cannot be used: ${(error as Error).message}` });
      await finish();
      return;
    }
    await this.send({ type: 'model', id, model: describeModel(classifier, runDir) });

    // The same decode + resize as training (decodeImageFiles is what the dataset readers run), on
    // worker threads, one batch ahead of the prediction.
    const shape = classifier.inputShape;
    const bytes = shape[0] * shape[1] * shape[2];
    const decode = (start: number): Promise<DecodedFiles> => this.decoder.decode(images.slice(start, start + this.batchSize), shape);
    let next: Promise<DecodedFiles> | undefined = decode(0);
    for (let start = 0; next && !this.cancelled.has(id); start += this.batchSize) {
      const batch = images.slice(start, start + this.batchSize);
      const decoded = await next;
      next = start + this.batchSize < images.length ? decode(start + this.batchSize) : undefined;
      const reasons = new Map(decoded.failures.map((f) => [f.index, f.reason]));
      const readable = batch.flatMap((_, k) => (reasons.has(k) ? [] : [{ k, pixels: decoded.pixels.subarray(k * bytes, (k + 1) * bytes) }]));
      let probabilities: number[][] = [];
      try {
        probabilities = readable.length > 0 ? classifier.predictPixels(readable.map((r) => r.pixels)) : [];
      } catch (error) {
        // A model that cannot run (say, weights that loaded but do not fit) fails every image the same way.
        for (const r of readable) reasons.set(r.k, `the model failed (${(error as Error).message})`);
        readable.length = 0;
      }
      const byPosition = new Map(readable.map((r, n) => [r.k, { pixels: r.pixels, probabilities: probabilities[n] }]));
      for (let k = 0; k < batch.length; k++) {
        const index = start + k;
        const image = batch[k];
        const ok = byPosition.get(k);
        if (!ok) {
          failed += 1;
          await this.send({ type: 'error', id, index, image, message: await describeFailure(classifier, image, reasons.get(k)) });
          continue;
        }
        const ranked = ok.probabilities
          .map((probability, c) => ({ label: classifier.classes[c], probability, c }))
          .sort((a, b) => b.probability - a.probability);
        let saliency;
        if (request.saliency) {
          try {
            saliency = classifier.explain(ok.pixels, ranked[0].c);
          } catch {
            saliency = undefined; // the prediction stands without its explanation
          }
        }
        classified += 1;
        await this.send({
          type: 'result', id, index, image,
          top: ranked.slice(0, topK).map(({ label, probability }) => ({ label, probability })),
          ...(saliency ? { saliency } : {}),
        });
      }
      await nextTurn(); // lets a cancel message in between batches
    }
    await next?.catch(() => undefined); // a batch decoded ahead for a cancelled request
    await finish();
  }
}
