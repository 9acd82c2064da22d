// The recipe side of New Training Run, as plain data: how presets, schedules and fine-tuning sources are
// offered (their words), which finished runs a dataset can be fine-tuned from, and a preset made from a run.
import { basename } from 'node:path';
import type { PresetExpectation, RunPreset } from '../../core/presets/runPreset';
import { PRESET_NAME } from '../../core/presets/runPreset';
import type { RunRecord } from '../../core/runs/runRecord';
import type { ImageShape, ResolvedDatasetFormat, ScheduleKind } from '../../core/runSpec';
import type { Parsed } from './newRunChoices';

export const SCHEDULE_DETAILS: Record<ScheduleKind, { label: string; detail: string }> = {
  constant: { label: 'constant', detail: 'The same rate throughout.' },
  step: { label: 'step', detail: 'The rate divided by 10 at half and at three quarters of training.' },
  cosine: { label: 'cosine', detail: 'Falls smoothly from the rate to 0 along a half cosine.' },
  onecycle: { label: 'one-cycle', detail: 'Warms up from 4% of the rate over the first quarter, then falls linearly to 0: fast recipes use it.' },
};

/** "80% test accuracy in about 30 min on CIFAR-10 (...)": what a preset is expected to give. */
export function expectationText(expected: PresetExpectation | undefined): string | undefined {
  if (!expected) return undefined;
  const minutes = expected.minutes < 1 ? '<1' : expected.minutes < 10 ? expected.minutes.toFixed(1).replace(/\.0$/, '') : String(Math.round(expected.minutes));
  return `${(expected.accuracy * 100).toFixed(expected.accuracy >= 0.995 ? 1 : 0)}% test accuracy in about ${minutes} min on ${expected.dataset}`;
}

/** A preset as the model step lists it. */
export function presetItem(preset: RunPreset): { label: string; description: string; detail: string } {
  const expected = expectationText(preset.expected);
  return {
    label: `$(beaker) ${preset.name}`,
    description: preset.source === 'built-in' ? `built-in preset · ${preset.spec.model.kind}` : `saved preset · ${preset.spec.model.kind}`,
    detail: [expected ? `Expected: ${expected}.` : '', preset.description].filter((part) => part.length > 0).join(' '),
  };
}

/** The dataset a run would fine-tune on, as the picker described it. */
export interface TargetDataset {
  format: ResolvedDatasetFormat;
  /** The images fed to a model: for a folder dataset, at the default size (it can be resized). */
  imageShape?: ImageShape;
  classes: readonly string[];
}

export type Compatibility =
  | { ok: true; /** For a folder dataset: the side its images must be resized to. */ imageSize?: number; sameClasses: boolean }
  | { ok: false; reason: string };

/**
 * Whether a run can start from `source`'s weights on `target`: the run finished with a model, and the
 * images have its shape (a folder dataset is resized to it; CIFAR and IDX images have one size).
 */
export function fineTuneCompatibility(source: RunRecord, target: TargetDataset): Compatibility {
  const shape = source.dataset?.imageShape;
  if (source.status !== 'completed' || !shape || source.summary.bestEpoch === undefined) {
    return { ok: false, reason: `run "${source.name}" has not finished with a model` };
  }
  if (!target.imageShape) return { ok: false, reason: 'the dataset\'s image shape is not known' };
  const [height, width, channels] = shape;
  if (target.imageShape[2] !== channels) {
    return { ok: false, reason: `run "${source.name}" learned ${channels === 1 ? 'grey' : `${channels}-channel`} images and this dataset's are ${target.imageShape[2] === 1 ? 'grey' : `${target.imageShape[2]}-channel`}` };
  }
  const sameClasses = source.dataset!.classes.length === target.classes.length && source.dataset!.classes.every((name, i) => name === target.classes[i]);
  if (target.format === 'folder') {
    if (height !== width) return { ok: false, reason: `run "${source.name}" learned ${height}x${width} images; folder datasets are resized to squares` };
    return { ok: true, imageSize: height, sameClasses };
  }
  if (target.imageShape[0] !== height || target.imageShape[1] !== width) {
    return { ok: false, reason: `run "${source.name}" learned ${height}x${width} images and this dataset's are ${target.imageShape[0]}x${target.imageShape[1]}` };
  }
  return { ok: true, sameClasses };
}

/** A finished run as the "Start from run" picker lists it. */
export function sourceRunItem(source: RunRecord, compatibility: Extract<Compatibility, { ok: true }>): { label: string; description: string; detail: string } {
  const accuracy = source.summary.testAcc ?? source.summary.bestValAcc ?? source.summary.bestTrainAcc;
  const shape = source.dataset!.imageShape.join('×');
  return {
    label: `$(history) ${source.name}`,
    description: `${source.spec.model.kind} · ${shape}${accuracy !== undefined ? ` · ${(accuracy * 100).toFixed(1)}% ${source.summary.testAcc !== undefined ? 'test' : 'val'}` : ''}`,
    detail: `${basename(source.dataset!.root)}, ${source.dataset!.classes.length} classes: ` +
      (compatibility.sameClasses ? 'the same classes, so its classifier head is kept' : 'other classes, so the classifier head starts fresh'),
  };
}

export function parseWeightDecay(text: string): Parsed {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 1) {
    return { ok: false, message: 'Weight decay must be a number from 0 (off) up to, but not including, 1, e.g. 0.05 or 5e-4.' };
  }
  return { ok: true, value };
}

export function parseFreezeEpochs(text: string, epochs: number): Parsed {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < 0 || value > epochs) {
    return { ok: false, message: `Head-only epochs must be a whole number from 0 to ${epochs} (the run's epochs).` };
  }
  return { ok: true, value };
}

/** Undefined when `name` can name a new saved preset, else why not. */
export function presetNameProblem(name: string, builtInNames: readonly string[]): string | undefined {
  if (!PRESET_NAME.test(name)) return 'Use letters, digits, ".", "_" and "-" (up to 64 characters), starting with a letter or digit.';
  if (builtInNames.includes(name)) return `"${name}" is a built-in preset: choose another name.`;
  return undefined;
}

/** What a run gave, as the expectation of a preset saved from it (test accuracy when it has one). */
export function expectationFromRun(record: RunRecord): PresetExpectation | undefined {
  const accuracy = record.summary.testAcc ?? record.summary.bestValAcc;
  const dataset = record.dataset;
  if (record.status !== 'completed' || accuracy === undefined || record.summary.durationMs === undefined || !dataset) return undefined;
  const images = dataset.trainCount + dataset.valCount + dataset.testCount;
  return {
    dataset: `${basename(dataset.root)} (${images.toLocaleString('en-US')} images, ${dataset.imageShape[0]}x${dataset.imageShape[1]})`,
    accuracy,
    minutes: Math.round((record.summary.durationMs / 60_000) * 10) / 10,
    basis: `Run "${record.name}" (${record.id}) on ${record.backend ?? 'this machine'}: ${record.summary.testAcc !== undefined ? 'test' : 'validation'} accuracy, training time.`,
  };
}

/** A preset name from a run's name: `cnn-mnist-3` stays, anything else is cleaned into the allowed letters. */
export function presetNameFromRun(record: RunRecord): string {
  const cleaned = record.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'my-preset';
}
