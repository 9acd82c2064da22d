// Finding, listing and saving presets: the built-in ones, and saved ones as `<name>.json` files in a presets folder.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../runs/atomicFile';
import type { RunSpec } from '../runSpec';
import { builtInPresets, PRESET_NAME, PresetError, presetFromJson, presetToFile, type PresetExpectation, type PresetSpec, type RunPreset } from './runPreset';
import { errorMessage } from '../errorMessage';

/** Where the CLI keeps saved presets, relative to the working folder (beside the default runs folder). */
export const DEFAULT_PRESETS_DIR = '.classifier-lab/presets';

export interface PresetListing {
  presets: RunPreset[];
  /** Saved files that could not be read, with the reason. */
  unreadable: { file: string; reason: string }[];
}

async function readPresetFile(file: string): Promise<RunPreset> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new PresetError(`Cannot read preset file ${file}: ${errorMessage(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PresetError(`${file} is not valid JSON (${errorMessage(error)}).`);
  }
  return presetFromJson(raw, file);
}

/** Built-in presets first, then the saved ones in `presetsDir` by name. A missing folder has none. */
export async function listPresets(presetsDir: string): Promise<PresetListing> {
  const presets = builtInPresets();
  const unreadable: PresetListing['unreadable'] = [];
  let names: string[] = [];
  try {
    names = (await fs.readdir(presetsDir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of names) {
    const file = join(presetsDir, name);
    try {
      presets.push(await readPresetFile(file));
    } catch (error) {
      unreadable.push({ file, reason: errorMessage(error) });
    }
  }
  return { presets, unreadable };
}

/** The built-in preset of that name, else `<presetsDir>/<name>.json`; an unknown name lists the known ones. */
export async function findPreset(name: string, presetsDir: string): Promise<RunPreset> {
  const builtIn = builtInPresets().find((preset) => preset.name === name);
  if (builtIn) return builtIn;
  if (!PRESET_NAME.test(name)) throw new PresetError(`"${name}" is not a preset name (letters, digits, ".", "_" and "-").`);
  const file = join(presetsDir, `${name}.json`);
  try {
    await fs.access(file);
  } catch {
    const { presets } = await listPresets(presetsDir);
    throw new PresetError(`No preset named "${name}": the built-in and saved presets (in ${presetsDir}) are ${presets.map((p) => p.name).join(', ')}.`);
  }
  return readPresetFile(file);
}

/**
 * The part of a run spec a preset keeps: everything but the dataset's path and format, and without a
 * starting run (a recipe applies to any dataset; fine-tuning from a run is chosen per run).
 */
export function presetSpecOf(spec: RunSpec): PresetSpec {
  const { initFrom: _initFrom, freezeEpochs: _freezeEpochs, ...training } = spec.training;
  return {
    data: {
      valSplit: spec.data.valSplit,
      ...(spec.data.imageSize !== undefined ? { imageSize: spec.data.imageSize } : {}),
      ...(spec.data.limit !== undefined ? { limit: spec.data.limit } : {}),
    },
    model: structuredClone(spec.model),
    training,
    augment: { ...spec.augment },
  };
}

/** Writes `<presetsDir>/<name>.json` (replacing a saved preset of that name) and returns its path. */
export async function savePreset(
  preset: { name: string; description: string; expected?: PresetExpectation; spec: PresetSpec },
  presetsDir: string,
): Promise<string> {
  if (!PRESET_NAME.test(preset.name)) {
    throw new PresetError(`"${preset.name}" cannot name a preset: use letters, digits, ".", "_" and "-" (up to 64).`);
  }
  if (builtInPresets().some((builtIn) => builtIn.name === preset.name)) {
    throw new PresetError(`"${preset.name}" is a built-in preset: save yours under another name.`);
  }
  await fs.mkdir(presetsDir, { recursive: true });
  const file = join(presetsDir, `${preset.name}.json`);
  await writeJsonAtomic(file, presetToFile(preset));
  return file;
}
