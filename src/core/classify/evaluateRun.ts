// Evaluates a trained run's best model on a dataset: its test split when it has one, else all of it.
import { join } from 'node:path';
import { loadDataset } from '../data/loadDataset';
import type { Dataset, ExampleSource } from '../data/dataset';
import { DatasetError } from '../data/dataset';
import { checkModelTakesImages } from '../models/checkModelTakesImages';
import { loadModelFromDir } from '../models/modelFiles';
import { openRunFolder } from '../runs/openRunFolder';
import { perClassMetrics } from '../train/classificationMetrics';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendPreference } from '../backend/selectBackend';
import { PREDICT_BATCH, startReplicas } from '../train/startReplicas';
import { evaluateModel } from '../train/trainModel';
import { resolveTrainingThreads, type ThreadsRequest } from '../train/trainingThreads';
import type { ClassMetrics } from '../train/trainingEvents';
import type { DatasetFormat, TtaKind } from '../runSpec';

export interface RunEvaluation {
  split: 'test' | 'all';
  count: number;
  accuracy: number;
  loss: number;
  classes: string[];
  confusion: number[][];
  perClass: ClassMetrics[];
}

/** Re-labels `source` from the dataset's class indices to the model's, by class name. */
function relabel(source: ExampleSource, datasetClasses: string[], modelClasses: string[]): ExampleSource {
  const toModel = datasetClasses.map((name) => {
    const index = modelClasses.indexOf(name);
    if (index < 0) {
      throw new DatasetError(`The dataset has a class "${name}" that the model was not trained on (it knows ${modelClasses.join(', ')}).`);
    }
    return index;
  });
  const labels = Int32Array.from(source.labels, (label) => toModel[label]);
  const wrap = (inner: ExampleSource, innerLabels: Int32Array): ExampleSource => ({
    count: inner.count,
    labels: innerLabels,
    sourceOf: (i) => inner.sourceOf(i),
    readPixels: (indices) => inner.readPixels(indices),
    subset: (indices) => wrap(inner.subset(indices), Int32Array.from(indices, (i) => innerLabels[i])),
  });
  return wrap(source, labels);
}

/** Below this many images one thread predicts faster than starting prediction threads. */
const THREADED_EVALUATION_MIN_IMAGES = 2048;

export interface EvaluateRunOptions {
  format?: DatasetFormat;
  /** Threads that share the predictions ('auto': every core). */
  threads?: ThreadsRequest;
  /** The backend preference prediction threads use. */
  backend?: BackendPreference;
  /** Overrides the run's own test-time augmentation. */
  tta?: TtaKind;
  /** Problems the dataset reader worked around (skipped files...), one message each. */
  onWarning?: (message: string) => void;
}

export async function evaluateRun(runDir: string, dataPath: string, options: EvaluateRunOptions = {}): Promise<RunEvaluation> {
  const format = options.format ?? 'auto';
  const { record, runDir: absolute } = await openRunFolder(runDir);
  if (!record.dataset) throw new Error(`Run "${record.name}" has no class list in its run.json: it never started training.`);
  const { classes, imageShape } = record.dataset;
  const model = await loadModelFromDir(join(absolute, 'model'));
  try {
    checkModelTakesImages(model, imageShape, `run "${record.name}"`);
    const dataset: Dataset = await loadDataset(
      { ...record.spec.data, path: dataPath, format, imageSize: imageShape[0] },
      { onWarning: options.onWarning ?? (() => undefined) },
    );
    if (dataset.imageShape.join('x') !== imageShape.join('x')) {
      throw new DatasetError(`The dataset's images are ${dataset.imageShape.join('x')} but the model takes ${imageShape.join('x')}.`);
    }
    const split = dataset.test ? 'test' : 'all';
    const source = relabel(dataset.test ?? dataset.train, dataset.classes, classes);
    const training = { ...record.spec.training, ...(options.tta ? { testTimeAugmentation: options.tta } : {}) };
    const threads = source.count < THREADED_EVALUATION_MIN_IMAGES ? 1 : resolveTrainingThreads(options.threads ?? 'auto', { native: tf.getBackend() === 'tensorflow' });
    const replicas = await startReplicas({
      model, imageShape, classCount: classes.length, training: { ...training, batchSize: PREDICT_BATCH },
      threads, backend: options.backend ?? (tf.getBackend() === 'cpu' ? 'cpu' : 'wasm'),
    });
    let result;
    try {
      result = await evaluateModel((inputs, count) => replicas.predict(inputs, count), source, classes.length, training);
    } finally {
      await replicas.dispose();
    }
    return {
      split, count: source.count, accuracy: result.acc, loss: result.loss, classes,
      confusion: result.confusion, perClass: perClassMetrics(result.confusion, classes),
    };
  } finally {
    model.dispose();
  }
}
