// Messages between the extension host and the inference process (child_process IPC). Types only.
import type { SaliencyMap } from '../core/inspect/saliencyMap';
import type { ModelKind } from '../core/runSpec';

export interface ClassScore {
  label: string;
  probability: number;
}

/** Extension -> inference process. */
export type ToInference =
  /**
   * Classify image files with the best model of the run in `runDir`. Answered by one `model` (or
   * one `error` without `index` when the model cannot be used), one `result` or `error` per image
   * in order, then `done`.
   */
  | { type: 'classify'; id: number; runDir: string; images: string[]; topK: number; saliency: boolean }
  /** Stop a request early: images not yet classified are left out; `done` still follows. */
  | { type: 'cancel'; id: number };

/** What the model that answers a request is, for the result view. */
export interface InferenceModelInfo {
  runId: string;
  runName: string;
  runDir: string;
  modelKind?: ModelKind;
  classes: string[];
  /** [height, width, channels] every image is brought to. */
  inputShape: [number, number, number];
  /** Best validation accuracy of the run (0-1), when known. */
  accuracy?: number;
  /** Best training accuracy (0-1) of a run without a validation split, which has no validation accuracy. */
  trainAccuracy?: number;
}

/** Inference process -> extension. */
export type FromInference =
  /** The process has chosen its TensorFlow.js backend (sent once, at start). */
  | { type: 'ready'; backend: string }
  | { type: 'model'; id: number; model: InferenceModelInfo }
  | {
    type: 'result';
    id: number;
    /** Position of the image in the request's `images`. */
    index: number;
    image: string;
    /** The topK classes by descending probability. */
    top: ClassScore[];
    /** For the top class, when the request asked for saliency. */
    saliency?: SaliencyMap;
    /** Why the heat map asked for could not be computed (the classification stands). */
    saliencyError?: string;
  }
  /** One image failed (`index` set), or the whole request (no `index`: the model could not be used). */
  | { type: 'error'; id: number; index?: number; image?: string; message: string }
  | { type: 'done'; id: number; classified: number; failed: number; cancelled: boolean; elapsedMs: number };
