// A trained run's best model, ready to classify image files with the same preprocessing as training.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { decodeImageToModelInput } from '../data/imageDecode';
import { readImageFile } from '../data/readImageFile';
import { computeSaliency, type SaliencyOptions } from '../inspect/saliency';
import type { SaliencyMap } from '../inspect/saliencyMap';
import { checkModelTakesImages } from '../models/checkModelTakesImages';
import { loadModelFromDir } from '../models/modelFiles';
import type { ImageShape, TtaKind } from '../runSpec';
import type { RunRecord } from '../runs/runRecord';
import { openRunFolder } from '../runs/openRunFolder';
import { errorMessage } from '../errorMessage';
import { predictProbabilities } from '../train/testTimeAugmentation';
import type { BackendPreference } from '../backend/selectBackend';
import { PREDICT_BATCH, startReplicas } from '../train/startReplicas';
import type { TrainingReplicas } from '../train/trainingReplicas';

/** Predictions of many images on several threads: the classifier's model copied to each. */
export interface ParallelPredictor {
  readonly threads: number;
  /** Probabilities of every class for each preprocessed image, [n][classes]; at most PREDICT_BATCH images per call. */
  predictPixels(pixels: Uint8Array[]): Promise<number[][]>;
  dispose(): Promise<void>;
}

export interface ClassProbability {
  label: string;
  probability: number;
}

export interface Classification {
  image: string;
  /** Classes by descending probability. */
  top: ClassProbability[];
}

/** An image the classifier could not read, named in the message. */
export class ImageReadError extends Error {
  override readonly name = 'ImageReadError';
}

export class ImageClassifier {
  private constructor(
    readonly model: tfl.LayersModel,
    readonly classes: string[],
    readonly inputShape: ImageShape,
    readonly runName: string,
    /** The run's record as it was read when the model loaded. */
    readonly run: RunRecord,
    /** Test-time augmentation applied to every prediction. */
    readonly tta: TtaKind,
  ) {}

  /**
   * Loads the best model of the run in `runDir` (`model/` inside it). Predictions use the run's own
   * test-time augmentation unless `options.tta` says otherwise.
   */
  static async fromRun(runDir: string, options: { tta?: TtaKind } = {}): Promise<ImageClassifier> {
    const { record, runDir: absolute } = await openRunFolder(runDir);
    if (!record.dataset) {
      throw new Error(`Run "${record.name}" has no class list in its run.json: it never started training.`);
    }
    const { classes, imageShape } = record.dataset;
    const model = await loadModelFromDir(join(absolute, 'model'));
    try {
      checkModelTakesImages(model, imageShape, `run "${record.name}"`);
      const outputs = model.outputs[0].shape.at(-1);
      if (outputs !== classes.length) {
        throw new Error(`The model of run "${record.name}" has ${outputs ?? 'no'} outputs but its run.json lists ${classes.length} classes: the run folder is damaged.`);
      }
    } catch (error) {
      model.dispose();
      throw error;
    }
    const tta = options.tta ?? record.spec.training.testTimeAugmentation ?? 'none';
    return new ImageClassifier(model, classes, imageShape, record.name, record, tta);
  }

  /** Model input pixels for an image file: decoded, alpha flattened, resized and converted exactly as training did. */
  async preprocess(imagePath: string): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await readImageFile(imagePath);
    } catch (error) {
      throw new ImageReadError(`Cannot read ${imagePath}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error)}.`);
    }
    try {
      return await decodeImageToModelInput(bytes, this.inputShape);
    } catch (error) {
      throw new ImageReadError(`${imagePath} is not a readable image: ${errorMessage(error)}.`);
    }
  }

  /** Packed [n, h, w, c] floats in [0, 1] from preprocessed uint8 pixels: the training normalisation. */
  private toFloats(pixels: Uint8Array[]): Float32Array {
    const [h, w, c] = this.inputShape;
    const batch = new Float32Array(pixels.length * h * w * c);
    pixels.forEach((image, i) => {
      for (let k = 0; k < image.length; k++) batch[i * image.length + k] = image[k] / 255;
    });
    return batch;
  }

  private toInput(pixels: Uint8Array[]): tf.Tensor4D {
    const [h, w, c] = this.inputShape;
    return tf.tensor4d(this.toFloats(pixels), [pixels.length, h, w, c]);
  }

  /** Probabilities of every class for each of the given preprocessed images, [n][classes]. */
  predictPixels(pixels: Uint8Array[]): number[][] {
    return tf.tidy(() => {
      const probabilities = predictProbabilities(this.model, this.toInput(pixels), this.tta);
      return probabilities.arraySync();
    });
  }

  /**
   * Copies the model to `threads` worker threads that predict batches side by side, with the same
   * normalisation and test-time augmentation as `predictPixels`. With one thread (or when the threads
   * cannot start) the predictions run on this model in this thread.
   */
  async parallelPredictor(threads: number, backend: BackendPreference): Promise<ParallelPredictor> {
    const replicas: TrainingReplicas = await startReplicas({
      model: this.model, imageShape: this.inputShape, classCount: this.classes.length,
      training: { ...this.run.spec.training, testTimeAugmentation: this.tta, batchSize: PREDICT_BATCH },
      threads, backend,
    });
    const classCount = this.classes.length;
    return {
      threads: replicas.threads,
      predictPixels: async (pixels) => {
        if (pixels.length > PREDICT_BATCH) throw new RangeError(`At most ${PREDICT_BATCH} images per prediction (got ${pixels.length}).`);
        const flat = await replicas.predict(this.toFloats(pixels), pixels.length);
        return pixels.map((_, i) => Array.from(flat.subarray(i * classCount, (i + 1) * classCount)));
      },
      dispose: () => replicas.dispose(),
    };
  }

  /** A heat map of what the model weighed to score `classIndex` for one preprocessed image. */
  explain(pixels: Uint8Array, classIndex: number, options: SaliencyOptions = {}): SaliencyMap {
    const input = this.toInput([pixels]);
    try {
      return computeSaliency(this.model, input, classIndex, options);
    } finally {
      input.dispose();
    }
  }

  async classify(imagePaths: string[], topK = 5): Promise<Classification[]> {
    const pixels = await Promise.all(imagePaths.map((path) => this.preprocess(path)));
    const probabilities = this.predictPixels(pixels);
    return imagePaths.map((image, i) => ({
      image,
      top: probabilities[i]
        .map((probability, k) => ({ label: this.classes[k], probability }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, Math.max(1, topK)),
    }));
  }

  dispose(): void {
    this.model.dispose();
  }
}
