// Validates both directions of the dataset process's IPC channel (src/protocol/inspect.ts): what the
// extension host asks (an inspection, a preview, a cancel) and what the process answers (progress, a
// report, a preview). Either side is untrusted input to the other.
import { FINDING_KINDS } from '../../core/datasetDoctor/datasetReport';
import {
  hasNumbers, isBoolean, isIndex, isInteger, isOneOf, isOptional, isPath, isProbability, isRecord, isString, type Fields,
} from '../../core/guards';
import { DATASET_FORMATS, type RunSpec } from '../../core/runSpec';
import type {
  EncodedClassReport, EncodedDatasetReport, EncodedPixels, EncodedPreview, EncodedPreviewImage, Finding, FromInspect,
  Histogram, ImageRef, InspectProgress, ToInspect,
} from '../../protocol/inspect';

/** Upper bounds that keep one message from asking for unbounded work or memory. */
export const MAX_PREVIEW_IMAGES = 256;
export const MAX_PREVIEW_EPOCH = 100_000;
/** Largest image a message may carry: 1024 x 1024 x 3 bytes. */
const MAX_PIXEL_BYTES = 1024 * 1024 * 3;

const BACKENDS = ['auto', 'native', 'wasm'] as const;
const SPLITS = ['train', 'test'] as const;
const ODD_PROBLEMS = ['tiny', 'huge', 'wrongExtension', 'outsideClassFolder', 'ignoredFolder'] as const;
const ROLES = ['training', 'validation', 'test'] as const;
const DUPLICATE_KINDS = ['duplicate', 'nearDuplicate', 'crossClassDuplicate', 'trainTestLeak'] as const;
const RESOLVED_FORMATS = ['folder', 'cifar10', 'cifar100', 'idx'] as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isRunSpecShape(value: unknown): value is RunSpec {
  return isRecord(value) && isRecord(value.data) && isPath(value.data.path) && isRecord(value.model) && isRecord(value.training) && isRecord(value.augment);
}

/** The request, or undefined when it is not one the dataset process understands. Run spec values are validated by the engine. */
export function parseToInspect(raw: unknown): ToInspect | undefined {
  if (!isRecord(raw) || !isIndex(raw.id)) return undefined;
  const { id } = raw;
  switch (raw.type) {
    case 'cancel':
      return { type: 'cancel', id };
    case 'inspect': {
      const request = raw.request;
      if (!isRecord(request) || !isPath(request.path) || !isOneOf(request.format, DATASET_FORMATS)) return undefined;
      if (!isOneOf(request.cifar100Labels, ['fine', 'coarse'] as const) || !isOneOf(request.backend, BACKENDS) || !isOptional(request.runDir, isPath)) return undefined;
      return {
        type: 'inspect', id,
        request: { path: request.path, format: request.format, cifar100Labels: request.cifar100Labels, backend: request.backend, ...(request.runDir !== undefined ? { runDir: request.runDir } : {}) },
      };
    }
    case 'preview': {
      const request = raw.request;
      if (!isRecord(request) || !isRunSpecShape(request.spec)) return undefined;
      if (!isIndex(request.epoch) || request.epoch < 1 || request.epoch > MAX_PREVIEW_EPOCH) return undefined;
      if (!isIndex(request.count) || request.count < 1 || request.count > MAX_PREVIEW_IMAGES) return undefined;
      const examples = request.examples;
      if (examples !== undefined && (!Array.isArray(examples) || examples.length === 0 || examples.length > MAX_PREVIEW_IMAGES || !examples.every(isIndex))) return undefined;
      return {
        type: 'preview', id,
        request: { spec: request.spec, epoch: request.epoch, count: request.count, ...(examples !== undefined ? { examples: [...examples] as number[] } : {}) },
      };
    }
    default:
      return undefined;
  }
}

export function isEncodedPixels(value: unknown): value is EncodedPixels {
  if (!isRecord(value) || !isIndex(value.width) || !isIndex(value.height) || (value.channels !== 1 && value.channels !== 3) || !isString(value.pixels)) return false;
  const bytes = value.width * value.height * value.channels;
  return bytes > 0 && bytes <= MAX_PIXEL_BYTES && value.pixels.length === 4 * Math.ceil(bytes / 3) && BASE64.test(value.pixels);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

function isImageRef(value: unknown): value is ImageRef {
  return isRecord(value) && isPath(value.source) && isString(value.className) && isOneOf(value.split, SPLITS);
}

function isHistogram(value: unknown): value is Histogram {
  return isRecord(value) && Array.isArray(value.bins) && value.bins.every((bin: unknown) => isRecord(bin) && hasNumbers(bin, ['from', 'to']) && isIndex(bin.count));
}

function isFinding(value: unknown): value is Finding {
  if (!isRecord(value) || !isOneOf(value.kind, FINDING_KINDS) || !isStringList(value.files) || !value.files.every(isPath) || !isString(value.message)) return false;
  const finding: Fields = value;
  switch (value.kind) {
    case 'unreadable':
      return isString(finding.reason);
    case 'imbalance':
      return isString(finding.className) && isOneOf(finding.split, SPLITS) && isIndex(finding.count) && typeof finding.median === 'number';
    case 'odd':
      return isOneOf(finding.problem, ODD_PROBLEMS) && isOptional(finding.image, isImageRef)
        && isOptional(finding.width, isIndex) && isOptional(finding.height, isIndex) && isOptional(finding.bytes, isIndex);
    case 'likelyMislabelled':
      return isImageRef(finding.image) && isOneOf(finding.role, ROLES) && isString(finding.predicted) && isProbability(finding.confidence)
        && isProbability(finding.labelProbability) && typeof finding.loss === 'number' && isIndex(finding.rank);
    default:
      return isOneOf(value.kind, DUPLICATE_KINDS) && isBoolean(finding.exact) && Array.isArray(finding.images) && finding.images.every(isImageRef);
  }
}

function isClassReport(value: unknown): value is EncodedClassReport {
  if (!isRecord(value) || !isString(value.name) || !isIndex(value.train) || !isIndex(value.test) || !isIndex(value.unreadable)) return false;
  if (!isOptional(value.meanImage, isEncodedPixels) || !Array.isArray(value.samples)) return false;
  return value.samples.every((sample: unknown) => isRecord(sample) && isPath(sample.source) && isOneOf(sample.split, SPLITS) && isEncodedPixels(sample.pixels));
}

function isShape(value: unknown): boolean {
  return Array.isArray(value) && value.length === 3 && value.every((d) => isIndex(d) && d > 0);
}

export function isEncodedReport(value: unknown): value is EncodedDatasetReport {
  if (!isRecord(value) || !isPath(value.root) || !isOneOf(value.format, RESOLVED_FORMATS) || !isShape(value.analysisShape)) return false;
  if (!Array.isArray(value.classes) || !value.classes.every(isClassReport)) return false;
  const { totals, images, duplicates, findingCounts, run } = value;
  if (!isRecord(totals) || !isIndex(totals.train) || !isIndex(totals.test) || !isIndex(totals.unreadable)) return false;
  if (!isRecord(images) || !isIndex(images.count) || !isHistogram(images.widths) || !isHistogram(images.heights) || !isOptional(images.fileBytes, isHistogram)) return false;
  if (!Array.isArray(images.sizes) || !images.sizes.every((s: unknown) => isRecord(s) && isIndex(s.width) && isIndex(s.height) && isIndex(s.count))) return false;
  if (!isRecord(images.channels) || !isIndex(images.channels.grey) || !isIndex(images.channels.colour)) return false;
  if (!Array.isArray(images.formats) || !images.formats.every((f: unknown) => isRecord(f) && isString(f.format) && isIndex(f.count))) return false;
  if (!Array.isArray(value.findings) || !value.findings.every(isFinding)) return false;
  if (!isRecord(findingCounts) || !FINDING_KINDS.every((kind) => isIndex(findingCounts[kind]))) return false;
  if (!isRecord(duplicates) || !hasNumbers(duplicates, ['maxHammingDistance', 'minCorrelation', 'maxLevelDifference', 'backgroundTolerance', 'maxBlankDifference'])) return false;
  if (run !== undefined && !(isRecord(run) && isPath(run.runDir) && isString(run.name) && isOptional(run.epoch, isIndex)
    && isIndex(run.examined) && isProbability(run.accuracy) && isIndex(run.validation))) return false;
  return isStringList(value.warnings) && typeof value.seconds === 'number';
}

function isProgress(value: unknown): value is InspectProgress {
  return isRecord(value) && isOneOf(value.phase, ['reading', 'comparing'] as const) && isIndex(value.done) && isIndex(value.total);
}

function isPreviewImage(value: unknown): value is EncodedPreviewImage {
  return isRecord(value) && isIndex(value.example) && isPath(value.source) && isIndex(value.label) && isIndex(value.position)
    && isEncodedPixels(value.original) && isEncodedPixels(value.augmented);
}

export function isEncodedPreview(value: unknown): value is EncodedPreview {
  if (!isRecord(value) || !isIndex(value.epoch) || !isShape(value.imageShape) || !isRecord(value.augment)) return false;
  if (!isBoolean(value.augment.flip) || !hasNumbers(value.augment, ['rotateDegrees', 'cropPadding', 'brightness', 'contrast', 'saturation'])) return false;
  return isStringList(value.classes) && isIndex(value.trainCount) && Array.isArray(value.images) && value.images.length <= MAX_PREVIEW_IMAGES
    && value.images.every(isPreviewImage);
}

/** The message, or undefined when it is not one the dataset process is meant to send. */
export function parseFromInspect(raw: unknown): FromInspect | undefined {
  if (!isRecord(raw) || !isInteger(raw.id)) return undefined;
  const { id } = raw;
  switch (raw.type) {
    case 'progress':
      return isProgress(raw.progress) ? { type: 'progress', id, progress: raw.progress } : undefined;
    case 'report':
      return isEncodedReport(raw.report) ? { type: 'report', id, report: raw.report } : undefined;
    case 'preview':
      return isEncodedPreview(raw.preview) ? { type: 'preview', id, preview: raw.preview } : undefined;
    case 'failed':
      return isString(raw.message) && isBoolean(raw.cancelled) ? { type: 'failed', id, message: raw.message, cancelled: raw.cancelled } : undefined;
    default:
      return undefined;
  }
}
