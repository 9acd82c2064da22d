// The recipe flags of `train` and `lr-find`: preset, learning-rate schedule, weight decay, Nesterov momentum,
// test-time augmentation, fine-tuning from a run and the ResNet's size. Each overrides the preset's value.
import { resolve } from 'node:path';
import { findPreset, DEFAULT_PRESETS_DIR } from '../core/presets/presetStore';
import { defaultPresetSpec, PresetError, type PresetSpec } from '../core/presets/runPreset';
import { SCHEDULE_KINDS, TTA_KINDS, type RunSpec, type ScheduleKind, type TtaKind } from '../core/runSpec';
import { defaultSchedule } from '../core/train/learningRateSchedule';
import { numberFlag, numberListFlag, oneOf } from './flagValues';
import { UsageError } from './usageError';

/** parseArgs option declarations, merged into the train command's. */
export const RECIPE_OPTIONS = {
  preset: { type: 'string' },
  'save-preset': { type: 'string' },
  'presets-dir': { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  'lr-start-factor': { type: 'string' },
  'lr-end-factor': { type: 'string' },
  'lr-milestones': { type: 'string' },
  'lr-gamma': { type: 'string' },
  'weight-decay': { type: 'string' },
  nesterov: { type: 'boolean' },
  'no-nesterov': { type: 'boolean' },
  tta: { type: 'string' },
  'init-from': { type: 'string' },
  'freeze-epochs': { type: 'string' },
  width: { type: 'string' },
  blocks: { type: 'string' },
} as const;

export const RECIPE_USAGE = `[--preset NAME] [--save-preset NAME] [--presets-dir DIR]
      [--schedule constant|step|cosine|onecycle] [--warmup F] [--lr-start-factor F] [--lr-end-factor F]
      [--lr-milestones F,F...] [--lr-gamma F] [--weight-decay X] [--nesterov|--no-nesterov] [--tta none|flip]
      [--init-from RUN_DIR] [--freeze-epochs N] [--width N] [--blocks N,N,N]`;

type FlagValues = Record<string, string | boolean | string[] | undefined>;

export function presetsDirOf(values: FlagValues, cwd: string): string {
  return resolve(cwd, (values['presets-dir'] as string | undefined) ?? DEFAULT_PRESETS_DIR);
}

/** The settings flags start from: the named preset's, or today's defaults. */
export async function presetBase(values: FlagValues, cwd: string): Promise<PresetSpec> {
  const name = values.preset as string | undefined;
  if (name === undefined) return defaultPresetSpec();
  try {
    return structuredClone((await findPreset(name, presetsDirOf(values, cwd))).spec);
  } catch (error) {
    if (error instanceof PresetError) throw new UsageError(`--preset: ${error.message}`);
    throw error;
  }
}

/** Applies the recipe flags given to `spec` (already holding the preset's values and the common flags). */
export function applyRecipeFlags(values: FlagValues, spec: RunSpec, cwd: string): void {
  const str = (key: string) => values[key] as string | undefined;
  const training = spec.training;

  const kind = str('schedule');
  if (kind !== undefined) {
    const chosen = oneOf<ScheduleKind>('schedule', kind, SCHEDULE_KINDS, 'constant');
    if (training.schedule?.kind !== chosen) training.schedule = defaultSchedule(chosen);
  }
  const scheduleFlags = ['warmup', 'lr-start-factor', 'lr-end-factor', 'lr-milestones', 'lr-gamma'].filter((flag) => str(flag) !== undefined);
  if (scheduleFlags.length > 0) {
    const schedule = training.schedule ?? defaultSchedule('constant');
    schedule.warmup = numberFlag('warmup', str('warmup'), schedule.warmup, false);
    schedule.initialFactor = numberFlag('lr-start-factor', str('lr-start-factor'), schedule.initialFactor, false);
    schedule.finalFactor = numberFlag('lr-end-factor', str('lr-end-factor'), schedule.finalFactor, false);
    if (str('lr-milestones') !== undefined) schedule.milestones = numberListFlag('lr-milestones', str('lr-milestones')!, false);
    schedule.gamma = numberFlag('lr-gamma', str('lr-gamma'), schedule.gamma, false);
    if ((str('lr-milestones') !== undefined || str('lr-gamma') !== undefined) && schedule.kind !== 'step') {
      throw new UsageError('--lr-milestones and --lr-gamma shape the step schedule: add --schedule step.');
    }
    if (str('lr-end-factor') !== undefined && schedule.kind !== 'cosine' && schedule.kind !== 'onecycle') {
      throw new UsageError('--lr-end-factor applies to --schedule cosine or onecycle.');
    }
    training.schedule = schedule;
  }

  if (str('weight-decay') !== undefined) training.weightDecay = numberFlag('weight-decay', str('weight-decay'), 0, false);
  if (values.nesterov === true && values['no-nesterov'] === true) throw new UsageError('--nesterov and --no-nesterov contradict each other.');
  if (values.nesterov === true) training.nesterov = true;
  else if (values['no-nesterov'] === true || (training.nesterov && training.optimizer !== 'sgd')) {
    // A preset's Nesterov momentum goes with its sgd: choosing another optimiser drops it.
    training.nesterov = false;
  }
  if (str('tta') !== undefined) training.testTimeAugmentation = oneOf<TtaKind>('tta', str('tta'), TTA_KINDS, 'none');
  if (str('init-from') !== undefined) {
    if (str('model') !== undefined || str('width') !== undefined || str('blocks') !== undefined) {
      throw new UsageError('--init-from trains the model of that run: drop --model, --width and --blocks.');
    }
    training.initFrom = resolve(cwd, str('init-from')!);
  }
  if (str('freeze-epochs') !== undefined) training.freezeEpochs = numberFlag('freeze-epochs', str('freeze-epochs'), 0, true);

  const width = numberFlag('width', str('width'), undefined, true);
  const blocks = str('blocks') === undefined ? undefined : numberListFlag('blocks', str('blocks')!, true);
  if (width !== undefined || blocks !== undefined) {
    if (spec.model.kind !== 'resnet') throw new UsageError('--width and --blocks shape the resnet model: add --model resnet.');
    if (width !== undefined && !(width >= 1 && width <= 512)) throw new UsageError(`--width must be from 1 to 512 filters (got ${width}).`);
    if (blocks !== undefined && !(blocks.length >= 1 && blocks.length <= 6 && blocks.every((b) => b >= 0 && b <= 16))) {
      throw new UsageError(`--blocks needs 1 to 6 stages of 0 to 16 residual blocks each, e.g. 1,0,1 (got "${str('blocks')}").`);
    }
    const options = spec.model.options;
    // --width N: stem N, stages 2N, 4N, 8N...; --blocks: residual blocks per stage (its length = the number of stages).
    options.stemWidth = width ?? options.stemWidth;
    options.blocks = blocks ?? options.blocks;
    options.widths = options.blocks.map((_, i) => options.stemWidth * 2 ** (i + 1));
  }
}
