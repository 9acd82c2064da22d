// New Training Run: dataset (with its detected format and class counts), model and its options, epochs,
// batch size, learning rate, optimiser, loss, augmentation; remembers the answers; can start from a saved
// run spec. The same steps open New Sweep, which goes on from them (runSettingsSteps).
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeDataset, type DatasetDescription } from '../../core/data/describeDataset';
import { errorMessage } from '../../core/errorMessage';
import { AUGMENT_KINDS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS, type AugmentKind, type AugmentSpec, type LossKind, type ModelKind, type OptimizerKind, type RunSpec } from '../../core/runSpec';
import { browseForDataset, datasetPickItems, rememberDataset, type DatasetItem } from './datasetPicker';
import { datasetProblem } from './datasetSummaryText';
import { MultiStepInput, type InputStep } from './multiStepInput';
import {
  augmentKinds, choicesFromSpec, initialChoices, modelOptionRows, modelOptionsProblem, modelOptionText, parseLearningRate, parseModelOptionInput,
  parseSavedRunSpec, parseWholeNumber, rememberedChoices, specFromChoices, type ModelOptionRow, type NewRunChoices, type Parsed,
} from './newRunChoices';
import type { TrainingDefaults } from '../settingsValues';

const LAST_CHOICES_KEY = 'classifierLab.lastRunChoices';
/** The run settings' steps: dataset, model, model options, epochs, batch size, learning rate, optimiser, loss, augmentation. */
export const RUN_SETTINGS_STEPS = 9;

export interface NewRunWizardContext {
  workspaceState: vscode.Memento;
  defaults: TrainingDefaults;
  /** Absolute paths of the open workspace folders, searched for datasets. */
  workspaceFolders: readonly string[];
  /** Shows the augmentation preview of a spec (the augmentation step then has a button for it); resolves with the user's decision. */
  previewAugmentation?(spec: RunSpec): Promise<{ action: 'start' | 'back'; augment: AugmentSpec } | undefined>;
  /** Answers to start from: a dataset, and augmentation strengths set in a preview. */
  preset?: { datasetPath: string; augment: AugmentSpec };
}

const PREVIEW_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('eye'), tooltip: 'Preview Augmentation…' };

type Choices = ReturnType<typeof initialChoices>;

/** The first step's items: the dataset picker's, and the sequence's extra actions. */
interface FirstStepItem extends vscode.QuickPickItem {
  action: DatasetItem['action'] | 'extra';
  path?: string;
  extra?: ExtraAction;
}

/** An action offered at the end of the first step besides the datasets (New Sweep's "From Sweep File..."). */
export interface ExtraAction {
  label: string;
  detail: string;
  /** Runs after the step's widget closed; returns the next step, or nothing to end the sequence. */
  run(): Promise<InputStep | void>;
}

/** The run settings as answered. */
export interface RunSettings {
  spec: RunSpec;
  choices: NewRunChoices;
}

/** How a sequence uses the run settings' steps. */
export interface RunSettingsFlow {
  /** The sequence's title, e.g. `New Training Run`; the dataset follows it once chosen. */
  name: string;
  /** Steps of the whole sequence: the run settings are its first RUN_SETTINGS_STEPS. */
  totalSteps: number;
  /** The review of a saved spec's item that goes on with it, e.g. `Start Training`. */
  goLabel: string;
  extraActions?: readonly ExtraAction[];
  /** After the settings are answered: the next step, or nothing to end the sequence. */
  next(settings: RunSettings): InputStep | void;
}

export interface RunSettingsSteps {
  first: InputStep;
  /** The sequence's title as it reads now (with the dataset once chosen). */
  title(): string;
}

const MODEL_DETAILS: Record<ModelKind, string> = {
  cnn: 'Convolutional network: three 3×3 conv layers and a dense head. The fastest to train.',
  rnn: 'Recurrent network (LSTM) reading the image row by row.',
  attention: 'Small vision transformer: patches, self-attention blocks. Slower; likes more data.',
  resnet: 'Residual network with batch norm (ResNet-9 style). The most accurate on photos like CIFAR-10.',
};
const OPTIMIZER_DETAILS: Record<OptimizerKind, string> = {
  adam: 'Adaptive moments; a good default.',
  sgd: 'Stochastic gradient descent with momentum 0.9.',
  rmsprop: 'Root-mean-square scaled gradients.',
};
const LOSS_DETAILS: Record<LossKind, string> = {
  crossentropy: 'Categorical cross-entropy: the usual loss for classification.',
  mse: 'Mean squared error between one-hot labels and probabilities.',
};
const AUGMENT_DETAILS: Record<AugmentKind, string> = {
  flip: 'Random horizontal flips', rotate: 'Random rotations up to ±15°', crop: 'Random crops after 4 px of padding', color: 'Brightness, contrast and saturation jitter',
};

/** Saves the answers for next time (after a run was started with them). */
export async function rememberChoices(state: vscode.Memento, choices: NewRunChoices): Promise<void> {
  await state.update(LAST_CHOICES_KEY, choices);
  await rememberDataset(state, choices.datasetPath);
}

/**
 * The run settings' steps, as New Training Run asks them: dataset, model, the model's options, epochs,
 * batch size, learning rate, optimiser, loss and augmentation (or a saved run spec, reviewed), then `flow.next`.
 */
export function runSettingsSteps(context: NewRunWizardContext, flow: RunSettingsFlow): RunSettingsSteps {
  const totalSteps = flow.totalSteps;
  const choices: Choices = initialChoices(context.defaults, rememberedChoices(context.workspaceState.get(LAST_CHOICES_KEY)));
  /** A saved run spec the user started from: what the steps do not ask is taken from it. */
  let base: RunSpec | undefined;
  /** Strengths set in the augmentation preview: the spec keeps them for the augmentations still chosen. */
  let previewed = context.preset?.augment;
  if (context.preset) Object.assign(choices, { datasetPath: context.preset.datasetPath, augment: augmentKinds(context.preset.augment) });
  const descriptions = new Map<string, Promise<DatasetDescription>>();
  const describe = (path: string): Promise<DatasetDescription> => {
    let pending = descriptions.get(path);
    if (!pending) {
      pending = describeDataset(path);
      descriptions.set(path, pending);
      pending.catch(() => descriptions.delete(path));
    }
    return pending;
  };
  let datasetTitle = '';
  const title = () => `${flow.name}${datasetTitle ? ` · ${datasetTitle}` : ''}`;

  /** Describes the chosen folder; false (after telling the user why) when it cannot be trained on. */
  const useDataset = async (path: string): Promise<boolean> => {
    let description: DatasetDescription;
    try {
      description = await describe(path);
    } catch (error) {
      void vscode.window.showErrorMessage(`${basename(path)} is not a dataset Classifier Lab can read: ${errorMessage(error)}`);
      return false;
    }
    const problem = datasetProblem(description);
    if (problem) {
      void vscode.window.showErrorMessage(`${basename(path)} cannot be trained on: ${problem}`);
      return false;
    }
    choices.datasetPath = path;
    const images = description.classes.reduce((sum, c) => sum + c.trainCount + c.testCount, 0);
    datasetTitle = `${basename(path)} (${description.classes.length} classes, ${images.toLocaleString('en-US')} images)`;
    return true;
  };

  const pickDataset: InputStep = async (input) => {
    const picker = datasetPickItems(context, describe, { savedSpec: true });
    const extras = (flow.extraActions ?? []).map((extra): FirstStepItem => ({ action: 'extra', extra, label: extra.label, detail: extra.detail }));
    const items: FirstStepItem[] = [...picker.items, ...extras];
    const itemsLater = picker.itemsLater.then((later): FirstStepItem[] => [...later, ...extras]);
    const chosen = await input.pick<FirstStepItem>({
      title: title(), step: 1, totalSteps,
      placeholder: 'Dataset to train on (the format and class counts are detected)',
      items, itemsLater,
      // The remembered dataset, else the first one found.
      activeItem: (item) => item.path !== undefined && (item.path === choices.datasetPath || choices.datasetPath === undefined),
    });
    if (chosen.action === 'dataset' && chosen.path) {
      return (await useDataset(chosen.path)) ? pickModel : pickDataset;
    }
    input.hide();
    if (chosen.action === 'extra' && chosen.extra) return chosen.extra.run();
    if (chosen.action === 'browse') {
      const picked = await browseForDataset(context, 'Train on This Folder');
      if (picked === undefined) return pickDataset;
      return (await useDataset(picked)) ? pickModel : pickDataset;
    }
    const file = await vscode.window.showOpenDialog({
      canSelectFiles: true, canSelectFolders: false, canSelectMany: false, openLabel: 'Use This Run Spec',
      title: 'Saved run spec', filters: { 'Run spec': ['json'] },
      defaultUri: context.workspaceFolders[0] ? vscode.Uri.file(context.workspaceFolders[0]) : undefined,
    });
    if (!file?.[0]) return pickDataset;
    try {
      const spec = parseSavedRunSpec(JSON.parse(await readFile(file[0].fsPath, 'utf8')) as unknown, dirname(file[0].fsPath));
      if (!(await useDataset(spec.data.path))) return pickDataset;
      base = spec;
      Object.assign(choices, choicesFromSpec(spec));
      return review;
    } catch (error) {
      void vscode.window.showErrorMessage(`${basename(file[0].fsPath)} cannot be used: ${errorMessage(error)}`);
      return pickDataset;
    }
  };

  const review: InputStep = async (input) => {
    const done = choices as NewRunChoices;
    const summary = `${done.model.toUpperCase()} · ${done.epochs} epochs · batch ${done.batchSize} · lr ${done.learningRate} · ${done.optimizer} · ${done.loss}${done.augment.length ? ` · ${done.augment.join(', ')}` : ''}`;
    const chosen = await input.pick<vscode.QuickPickItem & { start: boolean }>({
      title: title(), placeholder: 'Go on with the saved settings, or go through them first',
      items: [
        { start: true, label: `$(play) ${flow.goLabel}`, detail: summary },
        { start: false, label: '$(settings) Adjust the Settings', detail: 'Model and its options, epochs, batch size, learning rate, optimiser, loss and augmentation' },
      ],
    });
    return chosen.start ? finish() : pickModel;
  };

  /** A step that picks the `key` answer among `kinds`, then goes on to `next`. */
  const pickOne = <K extends 'model' | 'optimizer' | 'loss'>(key: K, kinds: readonly NewRunChoices[K][], details: Record<NewRunChoices[K], string>, step: number, placeholder: string, next: () => InputStep): InputStep => async (input) => {
    const chosen = await input.pick({
      title: title(), step, totalSteps, placeholder,
      items: kinds.map((value) => ({ value, label: value, description: details[value] })),
      activeItem: (item) => item.value === choices[key],
    });
    // Another kind of model has other options: they start from its defaults.
    if (key === 'model' && chosen.value !== choices.model) choices.modelOptions = {};
    choices[key] = chosen.value;
    return next();
  };

  /** A step that asks for the `key` number (checked by `parse`), then goes on to `next`. */
  const askNumber = (key: 'epochs' | 'batchSize' | 'learningRate', step: number, prompt: string, parse: (text: string) => Parsed, next: () => InputStep): InputStep => async (input) => {
    const text = await input.ask({
      title: title(), step, totalSteps, prompt, value: String(choices[key]),
      validate: (value) => { const parsed = parse(value); return parsed.ok ? undefined : parsed.message; },
    });
    choices[key] = Number(text.trim());
    return next();
  };

  /** The model's options: each with its value now; picking one asks for a new value (checked as --model-option checks it). */
  const pickModelOptions: InputStep = async (input) => {
    const kind = choices.model;
    let placeholder = `Options of the ${kind} model: pick one to change it, or go on`;
    for (;;) {
      const options = choices.modelOptions ?? {};
      const rows = modelOptionRows(kind, options);
      const problem = modelOptionsProblem(kind, options);
      const changed = rows.filter((row) => !row.isDefault).map((row) => `${row.field.name}=${row.value}`);
      type Item = vscode.QuickPickItem & { action: 'continue' | 'reset' | 'edit'; row?: ModelOptionRow };
      const items: Item[] = [
        {
          action: 'continue', label: problem ? '$(warning) Continue' : '$(check) Continue with these options',
          detail: problem ?? (changed.length > 0 ? changed.join(' · ') : `the ${kind} model's defaults`),
        },
        { kind: vscode.QuickPickItemKind.Separator, label: 'options', action: 'edit' },
        ...rows.map((row): Item => ({
          action: 'edit', row, label: row.field.name, description: row.isDefault ? `${row.value} (default)` : row.value,
          detail: `${row.field.description}: ${row.accepted}`,
        })),
        ...(Object.keys(options).length > 0 ? [{ action: 'reset' as const, label: '$(discard) Reset to the defaults' }] : []),
      ];
      const chosen = await input.pick<Item>({ title: title(), step: 3, totalSteps, placeholder, items });
      if (chosen.action === 'continue') {
        if (!problem) return askEpochs;
        placeholder = problem;
        continue;
      }
      if (chosen.action === 'reset' || !chosen.row) {
        choices.modelOptions = {};
        continue;
      }
      const field = chosen.row.field;
      let text: string;
      if (field.type === 'choice') {
        const picked = await input.pick({
          title: title(), step: 3, totalSteps, placeholder: `${field.name}: ${field.description}`,
          items: field.choices.map((value) => ({ label: value })), activeItem: (item) => item.label === chosen.row?.value,
        });
        text = picked.label;
      } else {
        text = await input.ask({
          title: title(), step: 3, totalSteps, prompt: `${field.name}: ${field.description} (${chosen.row.accepted})`, value: chosen.row.value,
          validate: (value) => { const parsed = parseModelOptionInput(kind, field.name, value); return parsed.ok ? undefined : parsed.message; },
        });
      }
      const parsed = parseModelOptionInput(kind, field.name, text);
      if (parsed.ok) choices.modelOptions = { ...options, [field.name]: parsed.value };
      placeholder = `Options of the ${kind} model: ${field.name} is now ${parsed.ok ? modelOptionText(parsed.value) : chosen.row.value}; pick another, or go on`;
    }
  };

  const pickModel = pickOne('model', MODEL_KINDS, MODEL_DETAILS, 2, 'Model architecture', () => pickModelOptions);
  const askEpochs = askNumber('epochs', 4, 'Epochs: passes over the training images', (text) => parseWholeNumber(text, 'Epochs', 1, 10_000), () => askBatchSize);
  const askBatchSize = askNumber('batchSize', 5, 'Batch size: images per training step', (text) => parseWholeNumber(text, 'The batch size', 1, 4096), () => askLearningRate);
  const askLearningRate = askNumber('learningRate', 6, 'Learning rate (e.g. 0.001 or 1e-3)', parseLearningRate, () => pickOptimizer);
  const pickOptimizer = pickOne('optimizer', OPTIMIZER_KINDS, OPTIMIZER_DETAILS, 7, 'Optimiser', () => pickLoss);
  const pickLoss = pickOne('loss', LOSS_KINDS, LOSS_DETAILS, 8, 'Loss', () => pickAugmentation);

  /** The spec the answers make, with the previewed strengths. */
  const currentSpec = (): RunSpec => specFromChoices(choices as NewRunChoices, base, previewed);

  const pickAugmentation: InputStep = async (input) => {
    const preview = context.previewAugmentation;
    for (;;) {
      const { selected, button } = await input.pickManyOrButton<vscode.QuickPickItem & { value: AugmentKind }>({
        title: title(), step: 9, totalSteps,
        placeholder: `Augmentation (none selected = off); Enter ${totalSteps > RUN_SETTINGS_STEPS ? 'goes on' : 'starts training'}${preview ? '; the eye previews it' : ''}`,
        items: AUGMENT_KINDS.map((value) => ({ value, label: value, description: AUGMENT_DETAILS[value] })),
        selected: (item) => choices.augment.includes(item.value),
      }, preview ? [PREVIEW_BUTTON] : []);
      choices.augment = selected.map((item) => item.value);
      if (!button || !preview) return finish();
      input.hide();
      const decision = await preview(currentSpec());
      if (!decision) continue;
      previewed = decision.augment;
      choices.augment = augmentKinds(decision.augment);
      if (decision.action === 'start') return finish();
    }
  };

  const finish = (): InputStep | void => {
    const complete = choices as NewRunChoices;
    return flow.next({ spec: currentSpec(), choices: { ...complete, modelOptions: { ...(complete.modelOptions ?? {}) } } });
  };

  return { first: pickDataset, title };
}

/** Runs the wizard; undefined when the user escaped. */
export async function runNewRunWizard(context: NewRunWizardContext): Promise<RunSettings | undefined> {
  let result: RunSettings | undefined;
  const steps = runSettingsSteps(context, {
    name: 'New Training Run', totalSteps: RUN_SETTINGS_STEPS, goLabel: 'Start Training',
    next: (settings) => { result = settings; },
  });
  const finished = await MultiStepInput.run(steps.first);
  return finished ? result : undefined;
}
