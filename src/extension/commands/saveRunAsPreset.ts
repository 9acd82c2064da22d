// Save Settings as Preset: a run's settings (all but its dataset and the run it started from) as a named
// preset, with what the run gave as the preset's expected accuracy and time; offered by New Training Run
// and `classifier-lab train --preset NAME`.
import * as vscode from 'vscode';
import { presetSpecOf } from '../../core/presets/presetStore';
import { expectationFromRun, presetNameFromRun, presetNameProblem } from '../newRun/recipeChoices';
import { primaryWorkspaceFolder } from '../settings';
import type { Command } from './command';
import { workspacePresets } from './newRunWizardRun';
import { resolveRun } from './runArguments';

export const saveRunAsPresetCommand: Command = {
  id: 'classifierLab.saveRunAsPreset',
  async run(lab, arg) {
    const folder = primaryWorkspaceFolder();
    if (folder === undefined) throw new Error('Open a folder first: presets are saved in the workspace (.classifier-lab/presets).');
    const entry = await resolveRun(lab, arg, { placeHolder: 'Run whose settings to save as a preset', none: 'There are no runs yet.' });
    if (!entry) return;
    const { record } = entry;
    const presets = workspacePresets(folder);
    const saved = new Set((await presets.list()).filter((preset) => preset.source !== 'built-in').map((preset) => preset.name));
    const name = (await vscode.window.showInputBox({
      title: `Save the settings of ${record.name} as a preset`,
      prompt: 'Preset name: offered by New Training Run and `classifier-lab train --preset NAME` (an existing saved preset of that name is replaced)',
      value: presetNameFromRun(record),
      validateInput: (value) => presetNameProblem(value.trim(), presets.builtInNames)
        ?? (saved.has(value.trim()) ? { message: `Replaces the saved preset "${value.trim()}".`, severity: vscode.InputBoxValidationSeverity.Warning } : undefined),
    }))?.trim();
    if (!name) return;
    const spec = presetSpecOf(record.spec);
    const expected = expectationFromRun(record);
    const description = `${spec.model.kind}, ${spec.training.optimizer} at ${spec.training.learningRate}, ${spec.training.epochs} epochs of batch ${spec.training.batchSize}: the settings of run "${record.name}".`;
    const file = await presets.save(name, description, spec, expected);
    void vscode.window.showInformationMessage(`Saved preset "${name}" to ${file}.`);
  },
};
