// A fresh model that starts from an earlier run's best weights (fine-tuning), with a new classifier head when the classes differ.
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageShape, ModelSpec } from '../runSpec';
import { openRunFolder } from '../runs/openRunFolder';
import type { RunInitSource } from '../runs/runRecord';
import { createModel } from './createModel';
import { loadModelFromDir } from './modelFiles';

export interface InitializedModel {
  model: tfl.LayersModel;
  /** The architecture of the run the weights come from (the new run's model). */
  modelSpec: ModelSpec;
  source: RunInitSource;
}

/** The run cannot be started from: the message names it and says why. */
export class InitFromRunError extends Error {
  override readonly name = 'InitFromRunError';
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * Builds the run's architecture for `classes` and copies the weights of the run's best model
 * (`model/`) into every layer. The classifier head (the last layer) keeps its fresh weights when the
 * class list differs (other names, order or count) from the run's. Images must have the run's shape.
 */
export async function modelFromRun(runDir: string, classes: string[], imageShape: ImageShape): Promise<InitializedModel> {
  const { record, runDir: absolute } = await openRunFolder(runDir);
  const sourceClasses = record.dataset?.classes;
  const sourceShape = record.dataset?.imageShape;
  if (!sourceClasses || !sourceShape) {
    throw new InitFromRunError(`Run "${record.name}" has no model to start from: it never started training.`);
  }
  if (sourceShape.join('x') !== imageShape.join('x')) {
    throw new InitFromRunError(
      `Run "${record.name}" was trained on ${sourceShape.join('x')} images but this dataset's are ${imageShape.join('x')}: ` +
      `fine-tuning needs the same image shape (for a folder dataset, --image-size ${sourceShape[0]}).`);
  }
  const saved = await loadModelFromDir(join(absolute, 'model'));
  const model = createModel(record.spec.model, imageShape, classes.length);
  const headReplaced = !sameList(classes, sourceClasses);
  try {
    const head = model.layers[model.layers.length - 1];
    for (const layer of model.layers) {
      if (layer === head && headReplaced) continue;
      const from = saved.layers.find((candidate) => candidate.name === layer.name);
      const weights = from?.getWeights() ?? [];
      const fits = from !== undefined && weights.length === layer.weights.length &&
        weights.every((w, i) => w.shape.join('x') === layer.weights[i].shape.join('x'));
      if (!fits) {
        // Also a model saved by an earlier version that built larger images (48 px and more) without downsampling first.
        throw new InitFromRunError(`The saved model of run "${record.name}" does not match its own settings (layer ${layer.name}): it cannot be fine-tuned` +
          `${Math.min(imageShape[0], imageShape[1]) >= 48 ? ' (a model trained on images of 48 px or more by an earlier version of Classifier Lab is built differently today)' : ''}.`);
      }
      if (weights.length > 0) layer.setWeights(weights);
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    saved.optimizer?.dispose();
    saved.dispose();
  }
  return {
    model,
    modelSpec: structuredClone(record.spec.model),
    source: {
      runId: record.id, runDir: absolute, name: record.name, headReplaced,
      ...(record.summary.bestValAcc !== undefined ? { bestValAcc: record.summary.bestValAcc } : {}),
    },
  };
}
