// New Training Run: dataset (with its detected format and class counts), model, epochs, batch size,
// learning rate, optimiser, loss, augmentation; remembers the answers; can start from a saved run spec.
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
  augmentKinds, choicesFromSpec, initialChoices, parseLearningRate, parseSavedRunSpec, parseWholeNumber, rememberedChoices,
  specFromChoices, type NewRunChoices, type Parsed,
} from './newRunChoices';
import type { TrainingDefaults } from '../settingsValues';

const LAST_CHOICES_KEY = 'classifierLab.lastRunChoices';
const TOTAL_STEPS = 8;

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

/** Runs the wizard; undefined when the user escaped. */
export async function runNewRunWizard(context: NewRunWizardContext): Promise<{ spec: RunSpec; choices: NewRunChoices } | undefined> {
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
  const title = () => `New Training Run${datasetTitle ? ` · ${datasetTitle}` : ''}`;
  let result: { spec: RunSpec; choices: NewRunChoices } | undefined;

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
    const { items, itemsLater } = datasetPickItems(context, describe, { savedSpec: true });
    const chosen = await input.pick<DatasetItem>({
      title: title(), step: 1, totalSteps: TOTAL_STEPS,
      placeholder: 'Dataset to train on (the format and class counts are detected)',
      items, itemsLater,
      // The remembered dataset, else the first one found.
      activeItem: (item) => item.path !== undefined && (item.path === choices.datasetPath || choices.datasetPath === undefined),
    });
    if (chosen.action === 'dataset' && chosen.path) {
      return (await useDataset(chosen.path)) ? pickModel : pickDataset;
    }
    input.hide();
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
      title: title(), placeholder: 'Start with the saved settings, or go through them first',
      items: [
        { start: true, label: '$(play) Start Training', detail: summary },
        { start: false, label: '$(settings) Adjust the Settings', detail: 'Model, epochs, batch size, learning rate, optimiser, loss and augmentation' },
      ],
    });
    return chosen.start ? finish() : pickModel;
  };

  /** A step that picks the `key` answer among `kinds`, then goes on to `next`. */
  const pickOne = <K extends 'model' | 'optimizer' | 'loss'>(key: K, kinds: readonly NewRunChoices[K][], details: Record<NewRunChoices[K], string>, step: number, placeholder: string, next: () => InputStep): InputStep => async (input) => {
    const chosen = await input.pick({
      title: title(), step, totalSteps: TOTAL_STEPS, placeholder,
      items: kinds.map((value) => ({ value, label: value, description: details[value] })),
      activeItem: (item) => item.value === choices[key],
    });
    choices[key] = chosen.value;
    return next();
  };

  /** A step that asks for the `key` number (checked by `parse`), then goes on to `next`. */
  const askNumber = (key: 'epochs' | 'batchSize' | 'learningRate', step: number, prompt: string, parse: (text: string) => Parsed, next: () => InputStep): InputStep => async (input) => {
    const text = await input.ask({
      title: title(), step, totalSteps: TOTAL_STEPS, prompt, value: String(choices[key]),
      validate: (value) => { const parsed = parse(value); return parsed.ok ? undefined : parsed.message; },
    });
    choices[key] = Number(text.trim());
    return next();
  };

  const pickModel = pickOne('model', MODEL_KINDS, MODEL_DETAILS, 2, 'Model architecture', () => askEpochs);
  const askEpochs = askNumber('epochs', 3, 'Epochs: passes over the training images', (text) => parseWholeNumber(text, 'Epochs', 1, 10_000), () => askBatchSize);
  const askBatchSize = askNumber('batchSize', 4, 'Batch size: images per training step', (text) => parseWholeNumber(text, 'The batch size', 1, 4096), () => askLearningRate);
  const askLearningRate = askNumber('learningRate', 5, 'Learning rate (e.g. 0.001 or 1e-3)', parseLearningRate, () => pickOptimizer);
  const pickOptimizer = pickOne('optimizer', OPTIMIZER_KINDS, OPTIMIZER_DETAILS, 6, 'Optimiser', () => pickLoss);
  const pickLoss = pickOne('loss', LOSS_KINDS, LOSS_DETAILS, 7, 'Loss', () => pickAugmentation);

  /** The spec the answers make, with the previewed strengths. */
  const currentSpec = (): RunSpec => specFromChoices(choices as NewRunChoices, base, previewed);

  const pickAugmentation: InputStep = async (input) => {
    const preview = context.previewAugmentation;
    for (;;) {
      const { selected, button } = await input.pickManyOrButton<vscode.QuickPickItem & { value: AugmentKind }>({
        title: title(), step: 8, totalSteps: TOTAL_STEPS,
        placeholder: `Augmentation (none selected = off); Enter starts training${preview ? '; the eye previews it' : ''}`,
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
    result = { spec: currentSpec(), choices: { ...(choices as NewRunChoices) } };
  };

  const finished = await MultiStepInput.run(pickDataset);
  return finished ? result : undefined;
}
