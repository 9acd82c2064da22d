// Messages between a "Classify Image" result panel and its webview: one union per direction. The
// webview says `ready`, the panel answers with a snapshot, then streams results as they come.
import type { SaliencyMap } from '../core/inspect/saliencyMap';
import type { ClassScore, InferenceModelInfo } from './inference';
import type { ExportMessage, OpenRunMessage, ReadyMessage } from './viewCommon';

export type { SaliencyMap, SaliencyMethod } from '../core/inspect/saliencyMap';
export type { ClassScore, InferenceModelInfo } from './inference';

/** One image's outcome: its classes, or why it could not be classified. */
export interface ClassifiedImage {
  /** Position in the session's image list (stable id for rows). */
  index: number;
  /** Absolute path, for tooltips and the CSV. */
  path: string;
  /** Path relative to the folder classified (or the file name), for display. */
  label: string;
  /** A URI the webview may load the image from (asWebviewUri). */
  src: string;
  top?: ClassScore[];
  error?: string;
}

/** The full state of a result tab: sent after `ready` and whenever the model changes. */
export interface ClassifySnapshot {
  /** What was classified, in the user's words: "digit-7.png" or "test/ (1,000 images)". */
  title: string;
  model?: InferenceModelInfo;
  images: ClassifiedImage[];
  total: number;
  /** True until every image has a result or an error. */
  running: boolean;
  /** Why the whole classification failed (e.g. the model cannot be loaded). */
  failure?: string;
  /** The image whose detail view is open (one image classified: that one). */
  detailIndex?: number;
  /** What the webview keeps in its state so the tab can be restored after a reload. */
  restore: { targets: string[]; runDir: string };
  /** Something the user should know about the set, e.g. that a huge folder was cut short. */
  note?: string;
}

/** Panel -> webview. */
export type ToClassifyView =
  | { type: 'snapshot'; snapshot: ClassifySnapshot }
  /** More rows (or rows replaced), as they arrive. */
  | { type: 'images'; images: ClassifiedImage[]; running: boolean }
  | { type: 'failure'; message: string }
  /** The explanation of one image's top class, for the detail view. */
  | { type: 'saliency'; index: number; saliency?: SaliencyMap; error?: string };

/** Webview -> panel. Untrusted, validated before use. */
export type FromClassifyView =
  | ReadyMessage
  /** The classifications as CSV, built by the page. */
  | ExportMessage
  /** The dashboard of the run whose model classified. */
  | OpenRunMessage
  /** Open an image's detail view: the panel answers with its `saliency`. */
  | { type: 'openImage'; index: number }
  | { type: 'closeImage' }
  | { type: 'chooseModel' }
  | { type: 'revealImage'; index: number };
