// New Training Run: dataset (with its detected format and class counts), model, epochs, batch size,
// learning rate, optimiser, loss, augmentation; remembers the answers; can start from a saved run spec.
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { describeDataset, type DatasetDescription } from '../../core/data/describeDataset';
import { errorMessage } from '../../core/errorMessage';
import { AUGMENT_KINDS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS, type AugmentKind, type LossKind, type ModelKind, type OptimizerKind, type RunSpec } from '../../core/runSpec';
import { classCountsText, datasetProblem, datasetSummaryText } from './datasetSummaryText';
import { findDatasetFolders } from './findDatasetFolders';
import { MultiStepInput, type InputStep } from './multiStepInput';
import {
  choicesFromSpec, initialChoices, parseLearningRate, parseSavedRunSpec, parseWholeNumber, rememberedChoices,
  specFromChoices, type NewRunChoices, type Parsed,
} from './newRunChoices';
import type { TrainingDefaults } from '../settingsValues';

const LAST_CHOICES_KEY = 'classifierLab.lastRunChoices';
const RECENT_DATASETS_KEY = 'classifierLab.recentDatasets';
const MAX_RECENT = 5;
const TOTAL_STEPS = 8;

export interface NewRunWizardContext {
  workspaceState: vscode.Memento;
  defaults: TrainingDefaults;
  /** Absolute paths of the open workspace folders, searched for datasets. */
  workspaceFolders: readonly string[];
}

type Choices = ReturnType<typeof initialChoices>;

interface DatasetItem extends vscode.QuickPickItem {
  action: 'dataset' | 'browse' | 'savedSpec';
  path?: string;
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

function displayPath(path: string, roots: readonly string[]): string {
  for (const root of roots) {
    const rel = relative(root, path);
    if (rel === '') return basename(path);
    if (!rel.startsWith('..') && !isAbsolute(rel)) return rel;
  }
  return path;
}

function recentDatasets(state: vscode.Memento): string[] {
  const value = state.get<unknown>(RECENT_DATASETS_KEY);
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && isAbsolute(p)).slice(0, MAX_RECENT) : [];
}

/** Saves the answers for next time (after a run was started with them). */
export async function rememberChoices(state: vscode.Memento, choices: NewRunChoices): Promise<void> {
  await state.update(LAST_CHOICES_KEY, choices);
  const recent = [choices.datasetPath, ...recentDatasets(state).filter((p) => p !== choices.datasetPath)].slice(0, MAX_RECENT);
  await state.update(RECENT_DATASETS_KEY, recent);
}

/** Runs the wizard; undefined when the user escaped. */
export async function runNewRunWizard(context: NewRunWizardContext): Promise<{ spec: RunSpec; choices: NewRunChoices } | undefined> {
  const choices: Choices = initialChoices(context.defaults, rememberedChoices(context.workspaceState.get(LAST_CHOICES_KEY)));
  /** A saved run spec the user started from: what the steps do not ask is taken from it. */
  let base: RunSpec | undefined;
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

  const datasetItem = (path: string, detail?: string): DatasetItem => ({
    action: 'dataset', path, label: `$(database) ${basename(path)}`, description: displayPath(path, context.workspaceFolders), detail,
  });

  const pickDataset: InputStep = async (input) => {
    const recent = recentDatasets(context.workspaceState);
    const found = findDatasetFolders(context.workspaceFolders).then((paths) => paths.filter((p) => !recent.includes(p)));
    const actions: DatasetItem[] = [
      { kind: vscode.QuickPickItemKind.Separator, label: '', action: 'browse' },
      { action: 'browse', label: '$(folder-opened) Browse for a dataset folder…', detail: 'Class sub-folders of PNG/JPEG images, CIFAR binary files or MNIST-style IDX files' },
      { action: 'savedSpec', label: '$(json) Start from a saved run spec…', detail: 'A run spec JSON file, or a run.json from another run' },
    ];
    const section = (label: string, paths: string[], details: Map<string, string>): DatasetItem[] => paths.length === 0 ? [] : [
      { kind: vscode.QuickPickItemKind.Separator, label, action: 'dataset' },
      ...paths.map((path) => datasetItem(path, details.get(path))),
    ];
    const describedItems = (async () => {
      const paths = [...recent, ...(await found)];
      const details = new Map<string, string>();
      await Promise.all(paths.map(async (path) => {
        try {
          const description = await describe(path);
          details.set(path, `${datasetSummaryText(description)} — ${classCountsText(description)}`);
        } catch (error) {
          details.set(path, `$(warning) ${errorMessage(error)}`);
        }
      }));
      return [...section('recent', recent, details), ...section('in this workspace', await found, details), ...actions];
    })();
    const chosen = await input.pick<DatasetItem>({
      title: title(), step: 1, totalSteps: TOTAL_STEPS,
      placeholder: 'Dataset to train on (the format and class counts are detected)',
      items: [...section('recent', recent, new Map()), ...actions],
      itemsLater: describedItems,
      // The remembered dataset, else the first one found.
      activeItem: (item) => item.path !== undefined && (item.path === choices.datasetPath || choices.datasetPath === undefined),
    });
    if (chosen.action === 'dataset' && chosen.path) {
      return (await useDataset(chosen.path)) ? pickModel : pickDataset;
    }
    input.hide();
    if (chosen.action === 'browse') {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Train on This Folder',
        title: 'Dataset folder', defaultUri: context.workspaceFolders[0] ? vscode.Uri.file(context.workspaceFolders[0]) : undefined,
      });
      if (!picked?.[0]) return pickDataset;
      return (await useDataset(picked[0].fsPath)) ? pickModel : pickDataset;
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

  const pickAugmentation: InputStep = async (input) => {
    const chosen = await input.pickMany<vscode.QuickPickItem & { value: AugmentKind }>({
      title: title(), step: 8, totalSteps: TOTAL_STEPS, placeholder: 'Augmentation (none selected = off); Enter starts training',
      items: AUGMENT_KINDS.map((value) => ({ value, label: value, description: AUGMENT_DETAILS[value] })),
      selected: (item) => choices.augment.includes(item.value),
    });
    choices.augment = chosen.map((item) => item.value);
    return finish();
  };

  const finish = (): InputStep | void => {
    const complete = choices as NewRunChoices;
    result = { spec: specFromChoices(complete, base), choices: { ...complete } };
  };

  const finished = await MultiStepInput.run(pickDataset);
  return finished ? result : undefined;
}
