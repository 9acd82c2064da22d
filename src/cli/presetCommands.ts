// `classifier-lab presets` (list the built-in and saved presets) and saving a `train` command's settings as a preset.
import { parseArgs } from 'node:util';
import { PresetError } from '../core/presets/runPreset';
import { listPresets, presetSpecOf, savePreset } from '../core/presets/presetStore';
import type { TrainCommand } from './parseTrainArgs';
import { presetsDirOf } from './recipeFlags';
import { UsageError } from './usageError';

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Saves the command's settings (all but the dataset) as `--save-preset NAME`; returns the file written. */
export async function saveTrainPreset(command: TrainCommand): Promise<string> {
  const { name, presetsDir } = command.savePreset!;
  try {
    return await savePreset({
      name,
      description: `Saved from the command line on ${new Date().toISOString().slice(0, 10)}.`,
      spec: presetSpecOf(command.spec),
    }, presetsDir);
  } catch (error) {
    if (error instanceof PresetError) throw new UsageError(`--save-preset: ${error.message}`);
    throw error;
  }
}

export async function listPresetsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'presets-dir': { type: 'string' }, json: { type: 'boolean' } } });
  const { presets, unreadable } = await listPresets(presetsDirOf(values, process.cwd()));
  if (values.json) {
    for (const preset of presets) {
      printJson({
        type: 'preset', name: preset.name, description: preset.description, source: preset.source === 'built-in' ? 'built-in' : preset.source.file,
        ...(preset.expected ? { expected: preset.expected } : {}), spec: preset.spec,
      });
    }
    for (const bad of unreadable) printJson({ type: 'unreadablePreset', file: bad.file, reason: bad.reason });
    return 0;
  }
  for (const preset of presets) {
    const where = preset.source === 'built-in' ? 'built-in' : preset.source.file;
    const expected = preset.expected
      ? `  expected ${(preset.expected.accuracy * 100).toFixed(1)}% in ~${preset.expected.minutes} min on ${preset.expected.dataset}\n` : '';
    const t = preset.spec.training;
    process.stdout.write(`${preset.name} (${where})\n  ${preset.description}\n${expected}` +
      `  model ${preset.spec.model.kind}, ${t.epochs} epochs, batch ${t.batchSize}, ${t.optimizer} ${t.learningRate}, schedule ${t.schedule?.kind ?? 'constant'}\n`);
  }
  for (const bad of unreadable) process.stderr.write(`warning: ${bad.reason}\n`);
  return 0;
}
