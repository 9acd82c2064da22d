// New Training Run: dataset (with its detected format and class counts), model (or a preset, or a finished
// run to fine-tune), epochs, batch size, learning rate (or find one), optimiser, loss, augmentation, then the
// recipe (schedule, weight decay, test-time augmentation); remembers the answers; can start from a saved run spec.
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { describeDataset, type DatasetDescription } from '../../core/data/describeDataset';
import { errorMessage } from '../../core/errorMessage';
import { presetSpecOf } from '../../core/presets/presetStore';
import type { PresetExpectation, PresetSpec, RunPreset } from '../../core/presets/runPreset';
import type { RunRecord } from '../../core/runs/runRecord';
import {
  AUGMENT_KINDS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS, SCHEDULE_KINDS,
  type AugmentKind, type LossKind, type ModelKind, type ModelSpec, type OptimizerKind, type RunSpec,
} from '../../core/runSpec';
import { classCountsText, datasetProblem, datasetSummaryText } from './datasetSummaryText';
import { findDatasetFolders } from './findDatasetFolders';
import { InputAction, MultiStepInput, type InputStep } from './multiStepInput';
import {
  choicesFromSpec, initialChoices, parseLearningRate, parseSavedRunSpec, parseWholeNumber, rememberedChoices,
  specFromChoices, WIZARD_VAL_SPLIT, type NewRunChoices, type Parsed,
} from './newRunChoices';
import type { TrainingDefaults } from '../settingsValues';
import {
  fineTuneCompatibility, parseFreezeEpochs, parseWeightDecay, presetItem, presetNameProblem, SCHEDULE_DETAILS, sourceRunItem,
} from './recipeChoices';

const LAST_CHOICES_KEY = 'classifierLab.lastRunChoices';
const RECENT_DATASETS_KEY = 'classifierLab.recentDatasets';
const MAX_RECENT = 5;
const TOTAL_STEPS = 9;

export interface NewRunWizardContext {
  workspaceState: vscode.Memento;
  defaults: TrainingDefaults;
  /** Absolute paths of the open workspace folders, searched for datasets. */
  workspaceFolders: readonly string[];
  /** Runs a new run can start from ("Start from run…"): their records and folders. */
  finishedRuns?: () => readonly { record: RunRecord; runDir: string }[];
  /** The built-in and saved presets, and saving one (absent: no presets are offered). */
  presets?: WizardPresets;
  /** Fine-tune from this run: the model is its, the dataset must fit it ("Fine-tune from This Run…"). */
  initFrom?: { record: RunRecord; runDir: string };
  /** What the answers are for: a training run (default), or the learning-rate finder. */
  purpose?: WizardPurpose;
}

export type WizardPurpose = 'train' | 'findLearningRate';

export interface WizardPresets {
  list(): Promise<RunPreset[]>;
  /** Saves a preset (replacing a saved one of that name) and returns its file. */
  save(name: string, description: string, spec: PresetSpec, expected?: PresetExpectation): Promise<string>;
  builtInNames: readonly string[];
}

export interface NewRunResult {
  spec: RunSpec;
  choices: NewRunChoices;
  /** Train with the spec, or find its learning rate first (the finder's tab then starts the run). */
  then: WizardPurpose;
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
  resnet: 'Residual network (ResNet-9 at a quarter width): batch norm, skip connections, three stages. The most accurate on photos like CIFAR-10; about 5× the CNN\'s work per image. Pair it with the cifar10-fast preset\'s one-cycle schedule.',
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
export async function runNewRunWizard(context: NewRunWizardContext): Promise<NewRunResult | undefined> {
  const choices: Choices = initialChoices(context.defaults, rememberedChoices(context.workspaceState.get(LAST_CHOICES_KEY)));
  /** The finder asks no learning rate: the steps after it move up one. */
  const asksRate = context.purpose !== 'findLearningRate';
  const totalSteps = asksRate ? TOTAL_STEPS : TOTAL_STEPS - 1;
  const stepNumber = (step: number) => (asksRate || step < 5 ? step : step - 1);
  let then: WizardPurpose = context.purpose ?? 'train';
  /** The dataset chosen, as described (for fine-tuning's shape check). */
  let described: DatasetDescription | undefined;
  /** The presets, read once when the model step first shows. */
  let presetList: Promise<RunPreset[]> | undefined;
  const fineTuneSource = context.initFrom;
  /** The architecture of the run fine-tuned from (a run started from it trains that model, options and all). */
  let sourceModel: ModelSpec | undefined;
  if (fineTuneSource) {
    choices.initFrom = fineTuneSource.runDir;
    choices.model = fineTuneSource.record.spec.model.kind;
    choices.freezeEpochs = 0;
    sourceModel = fineTuneSource.record.spec.model;
  }
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
  const heading = fineTuneSource ? `Fine-tune from ${fineTuneSource.record.name}` : context.purpose === 'findLearningRate' ? 'Find Learning Rate' : 'New Training Run';
  const title = () => `${heading}${datasetTitle ? ` · ${datasetTitle}` : ''}`;
  let result: NewRunResult | undefined;

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
    if (fineTuneSource) {
      const fits = fineTuneCompatibility(fineTuneSource.record, { format: description.format, imageShape: description.imageShape, classes: description.classes.map((c) => c.name) });
      if (!fits.ok) {
        void vscode.window.showErrorMessage(`${basename(path)} cannot be fine-tuned on from ${fineTuneSource.record.name}: ${fits.reason}.`);
        return false;
      }
      if (fits.imageSize !== undefined) choices.imageSize = fits.imageSize;
      else delete choices.imageSize;
    }
    described = description;
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
      title: title(), step: 1, totalSteps,
      placeholder: 'Dataset to train on (the format and class counts are detected)',
      items: [...section('recent', recent, new Map()), ...actions],
      itemsLater: describedItems,
      // The remembered dataset, else the first one found.
      activeItem: (item) => item.path !== undefined && (item.path === choices.datasetPath || choices.datasetPath === undefined),
    });
    if (chosen.action === 'dataset' && chosen.path) {
      return (await useDataset(chosen.path)) ? afterDataset() : pickDataset;
    }
    input.hide();
    if (chosen.action === 'browse') {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Train on This Folder',
        title: 'Dataset folder', defaultUri: context.workspaceFolders[0] ? vscode.Uri.file(context.workspaceFolders[0]) : undefined,
      });
      if (!picked?.[0]) return pickDataset;
      return (await useDataset(picked[0].fsPath)) ? afterDataset() : pickDataset;
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
    const chosen = await input.pick<vscode.QuickPickItem & { start: boolean; find?: boolean }>({
      title: title(), placeholder: 'Start with the saved settings, or go through them first',
      items: [
        { start: true, label: then === 'findLearningRate' ? '$(graph-line) Find Learning Rate' : '$(play) Start Training', detail: summary },
        { start: false, label: '$(settings) Adjust the Settings', detail: 'Model, epochs, batch size, learning rate, optimiser, loss, augmentation and the recipe' },
        ...(then === 'train' ? [{ start: true, find: true, label: '$(graph-line) Find a Learning Rate First', detail: 'A short range test on this dataset and model; start the run from its suggestion' }] : []),
      ],
    });
    if (chosen.find) then = 'findLearningRate';
    return chosen.start ? finish() : pickModel;
  };

  /** A step that picks the `key` answer among `kinds`, then goes on to `next`. */
  const pickOne = <K extends 'model' | 'optimizer' | 'loss'>(key: K, kinds: readonly NewRunChoices[K][], details: Record<NewRunChoices[K], string>, step: number, placeholder: string, next: () => InputStep): InputStep => async (input) => {
    const chosen = await input.pick({
      title: title(), step: stepNumber(step), totalSteps, placeholder,
      items: kinds.map((value) => ({ value, label: value, description: details[value] })),
      activeItem: (item) => item.value === choices[key],
    });
    choices[key] = chosen.value;
    return next();
  };

  /** A step that asks for the `key` number (checked by `parse`), then goes on to `next`. */
  const askNumber = (key: 'epochs' | 'batchSize' | 'learningRate', step: number, prompt: string, parse: (text: string) => Parsed, next: () => InputStep): InputStep => async (input) => {
    const text = await input.ask({
      title: title(), step: stepNumber(step), totalSteps, prompt, value: String(choices[key]),
      validate: (value) => { const parsed = parse(value); return parsed.ok ? undefined : parsed.message; },
    });
    choices[key] = Number(text.trim());
    return next();
  };

  const afterDataset = (): InputStep => (fineTuneSource ? askEpochs : pickModel);
  const askEpochs = askNumber('epochs', 3, 'Epochs: passes over the training images', (text) => parseWholeNumber(text, 'Epochs', 1, 10_000), () => (choices.initFrom ? askFreezeEpochs : askBatchSize));
  const askBatchSize = askNumber('batchSize', 4, 'Batch size: images per training step', (text) => parseWholeNumber(text, 'The batch size', 1, 4096), () => (asksRate ? askLearningRate : pickOptimizer));
  const pickOptimizer = pickOne('optimizer', OPTIMIZER_KINDS, OPTIMIZER_DETAILS, 6, 'Optimiser', () => pickLoss);
  const pickLoss = pickOne('loss', LOSS_KINDS, LOSS_DETAILS, 7, 'Loss', () => pickAugmentation);

  const pickAugmentation: InputStep = async (input) => {
    const chosen = await input.pickMany<vscode.QuickPickItem & { value: AugmentKind }>({
      title: title(), step: stepNumber(8), totalSteps, placeholder: 'Augmentation while training (none selected = off)',
      items: AUGMENT_KINDS.map((value) => ({ value, label: value, description: AUGMENT_DETAILS[value] })),
      selected: (item) => choices.augment.includes(item.value),
    });
    choices.augment = chosen.map((item) => item.value);
    return adjustRecipe;
  };

  const finish = (): InputStep | void => {
    const complete = choices as NewRunChoices;
    result = { spec: specNow(), choices: { ...complete }, then };
  };
  /** The spec of the answers so far; fine-tuning keeps the source run's model. Throws when they cannot make one. */
  const specNow = (): RunSpec => {
    const spec = specFromChoices(choices as NewRunChoices, base);
    if (choices.initFrom !== undefined && sourceModel) spec.model = structuredClone(sourceModel);
    return spec;
  };
  /** The spec the answers make now, or why they cannot make one. */
  const currentSpec = (): { spec: RunSpec } | { problem: string } => {
    try {
      return { spec: specNow() };
    } catch (error) {
      return { problem: errorMessage(error) };
    }
  };

  type ModelItem = vscode.QuickPickItem & ({ action: 'model'; value: ModelKind } | { action: 'preset'; preset: RunPreset } | { action: 'fromRun' } | { action: 'none' });
  const pickModel: InputStep = async (input) => {
    presetList ??= context.presets?.list().catch(() => []) ?? Promise.resolve([]);
    const models: ModelItem[] = MODEL_KINDS.map((value) => ({ action: 'model', value, label: value, description: MODEL_DETAILS[value] }));
    const fromRun: ModelItem[] = context.finishedRuns ? [
      { kind: vscode.QuickPickItemKind.Separator, label: 'fine-tune', action: 'none' },
      { action: 'fromRun', label: '$(history) Start from run…', detail: 'Start from the weights of a finished run with the same image shape (its architecture; a new head when the classes differ)' },
    ] : [];
    const withPresets = presetList.then((presets): ModelItem[] => [
      ...models,
      ...(presets.length > 0 ? [{ kind: vscode.QuickPickItemKind.Separator, label: 'presets: every setting at once', action: 'none' } as ModelItem] : []),
      ...presets.map((preset): ModelItem => ({ action: 'preset', preset, ...presetItem(preset) })),
      ...fromRun,
    ]);
    const chosen = await input.pick<ModelItem>({
      title: title(), step: 2, totalSteps, placeholder: 'Model architecture, or a preset (a whole recipe), or a run to fine-tune',
      items: [...models, ...fromRun], itemsLater: withPresets,
      activeItem: (item) => item.action === 'model' && item.value === choices.model && choices.initFrom === undefined,
    });
    switch (chosen.action) {
      case 'model':
        choices.model = chosen.value;
        delete choices.initFrom;
        delete choices.freezeEpochs;
        delete choices.imageSize;
        return askEpochs;
      case 'preset': {
        const { spec } = chosen.preset;
        const path = choices.datasetPath!;
        base = {
          data: { path, format: 'auto', cifar100Labels: 'fine', ...spec.data, valSplit: spec.data.valSplit ?? WIZARD_VAL_SPLIT },
          model: structuredClone(spec.model), training: structuredClone(spec.training), augment: { ...spec.augment },
        };
        Object.assign(choices, choicesFromSpec(base));
        delete choices.initFrom;
        delete choices.freezeEpochs;
        delete choices.imageSize;
        return review;
      }
      case 'fromRun':
        return pickSourceRun;
      default:
        return pickModel;
    }
  };

  type SourceItem = vscode.QuickPickItem & { source: { record: RunRecord; runDir: string; imageSize?: number } };
  const pickSourceRun: InputStep = async (input) => {
    const target = described && { format: described.format, imageShape: described.imageShape, classes: described.classes.map((c) => c.name) };
    const items: SourceItem[] = (context.finishedRuns?.() ?? []).flatMap((source) => {
      const fits = target ? fineTuneCompatibility(source.record, target) : undefined;
      return fits?.ok ? [{ source: { ...source, ...(fits.imageSize !== undefined ? { imageSize: fits.imageSize } : {}) }, ...sourceRunItem(source.record, fits) }] : [];
    });
    if (items.length === 0) {
      void vscode.window.showInformationMessage(`No finished run can be fine-tuned on ${basename(choices.datasetPath ?? 'this dataset')}: fine-tuning needs a completed run that learned images of the same shape (and colours).`);
      return pickModel;
    }
    const chosen = await input.pick<SourceItem>({
      title: title(), step: 2, totalSteps, placeholder: 'Run to start from (finished runs whose images have this dataset\'s shape)', items,
      activeItem: (item) => item.source.runDir === choices.initFrom,
    });
    choices.initFrom = chosen.source.runDir;
    choices.model = chosen.source.record.spec.model.kind;
    sourceModel = chosen.source.record.spec.model;
    choices.freezeEpochs ??= 0;
    if (chosen.source.imageSize !== undefined) choices.imageSize = chosen.source.imageSize;
    else delete choices.imageSize;
    return askEpochs;
  };

  const askFreezeEpochs: InputStep = async (input) => {
    const epochs = choices.epochs;
    const text = await input.ask({
      title: title(), step: 3, totalSteps, value: String(Math.min(choices.freezeEpochs ?? 0, epochs)),
      prompt: `Epochs that train only the classifier head before every layer trains (0 to ${epochs}; 0 trains every layer from the start)`,
      validate: (value) => { const parsed = parseFreezeEpochs(value, epochs); return parsed.ok ? undefined : parsed.message; },
    });
    choices.freezeEpochs = Number(text.trim());
    return askBatchSize;
  };

  const askLearningRate: InputStep = async (input) => {
    try {
      const text = await input.ask({
        title: title(), step: 5, totalSteps, value: String(choices.learningRate),
        prompt: 'Learning rate (e.g. 0.001 or 1e-3), the peak of a schedule; or find one with a short range test (the chart button above)',
        validate: (value) => { const parsed = parseLearningRate(value); return parsed.ok ? undefined : parsed.message; },
        actions: [{ id: 'findLearningRate', icon: 'graph-line', tooltip: 'Find a learning rate: a short range test on this dataset and model, then start the run from its suggestion' }],
      });
      choices.learningRate = Number(text.trim());
    } catch (error) {
      if (!(error instanceof InputAction)) throw error;
      then = 'findLearningRate';
    }
    return pickOptimizer;
  };

  type RecipeAction = 'start' | 'schedule' | 'weightDecay' | 'nesterov' | 'tta' | 'findLearningRate' | 'savePreset' | 'none';
  const adjustRecipe: InputStep = async (input) => {
    const finding = then === 'findLearningRate';
    const current = currentSpec();
    const training = 'spec' in current ? current.spec.training : undefined;
    const schedule = training?.schedule?.kind ?? 'constant';
    const optimizer = choices.optimizer;
    const weightDecay = training?.weightDecay ?? 0;
    const tta = training?.testTimeAugmentation ?? 'none';
    const done = choices as NewRunChoices;
    const summary = 'spec' in current
      ? `${done.model}${choices.initFrom ? ` from ${basename(choices.initFrom)}` : ''} · ${done.epochs} epochs · batch ${done.batchSize}${finding ? '' : ` · lr ${done.learningRate}`} · ${done.optimizer} · ${done.loss}${done.augment.length ? ` · ${done.augment.join(', ')}` : ''}`
      : `$(warning) ${current.problem}`;
    const items: (vscode.QuickPickItem & { act: RecipeAction })[] = [
      { act: 'start', label: finding ? '$(graph-line) Find Learning Rate' : '$(play) Start Training', detail: summary },
      { kind: vscode.QuickPickItemKind.Separator, label: 'recipe', act: 'none' },
      { act: 'schedule', label: `$(pulse) Learning-rate schedule: ${SCHEDULE_DETAILS[schedule].label}`, detail: SCHEDULE_DETAILS[schedule].detail },
      optimizer === 'rmsprop'
        ? { act: 'none', label: '$(dashboard) Weight decay: not with rmsprop', detail: 'Decoupled weight decay works with the adam and sgd optimisers.' }
        : { act: 'weightDecay', label: `$(dashboard) Weight decay: ${weightDecay > 0 ? weightDecay : 'off'}`, detail: `Decoupled (${optimizer === 'adam' ? 'AdamW' : 'SGDW'}-style): every step shrinks the kernels by rate × decay. 0.05 for AdamW, 5e-4 for SGD are common.` },
      ...(optimizer === 'sgd' ? [{ act: 'nesterov' as const, label: `$(arrow-right) Nesterov momentum: ${training?.nesterov ? 'on' : 'off'}`, detail: 'Momentum that looks ahead before each step.' }] : []),
      { act: 'tta', label: `$(mirror) Test-time augmentation: ${tta === 'flip' ? 'flip' : 'off'}`, detail: 'Evaluate each image and its mirror image and average them (validation, test and Classify Image).' },
      { kind: vscode.QuickPickItemKind.Separator, label: '', act: 'none' },
      ...(finding ? [] : [{ act: 'findLearningRate' as const, label: '$(graph-line) Find a Learning Rate First', detail: 'A short range test on this dataset and model; start the run from its suggestion' }]),
      ...(context.presets ? [{ act: 'savePreset' as const, label: '$(save) Save as Preset…', detail: 'Keep these settings (all but the dataset) as a preset for later runs and the command line' }] : []),
    ];
    const chosen = await input.pick({
      title: title(), step: stepNumber(9), totalSteps, items,
      placeholder: `Enter ${finding ? 'finds the learning rate' : 'starts training'}; or change the schedule, weight decay or test-time augmentation`,
    });
    switch (chosen.act) {
      case 'start':
      case 'findLearningRate':
        if (chosen.act === 'findLearningRate') then = 'findLearningRate';
        if ('problem' in current) {
          void vscode.window.showErrorMessage(`These settings cannot train: ${current.problem}`);
          return adjustRecipe;
        }
        return finish();
      case 'schedule':
        return pickSchedule;
      case 'weightDecay':
        return askWeightDecay;
      case 'nesterov':
        choices.nesterov = !(training?.nesterov ?? false);
        return adjustRecipe;
      case 'tta':
        choices.tta = tta === 'flip' ? 'none' : 'flip';
        return adjustRecipe;
      case 'savePreset':
        return askPresetName;
      default:
        return adjustRecipe;
    }
  };

  const pickSchedule: InputStep = async (input) => {
    const current = currentSpec();
    const kind = 'spec' in current ? current.spec.training.schedule?.kind ?? 'constant' : 'constant';
    const chosen = await input.pick({
      title: title(), step: stepNumber(9), totalSteps, placeholder: 'Learning-rate schedule: how the rate changes over training (the learning rate is its peak)',
      items: SCHEDULE_KINDS.map((value) => ({ value, label: SCHEDULE_DETAILS[value].label, detail: SCHEDULE_DETAILS[value].detail })),
      activeItem: (item) => item.value === kind,
    });
    choices.schedule = chosen.value;
    return adjustRecipe;
  };

  const askWeightDecay: InputStep = async (input) => {
    const current = currentSpec();
    const text = await input.ask({
      title: title(), step: stepNumber(9), totalSteps, value: String('spec' in current ? current.spec.training.weightDecay ?? 0 : 0),
      prompt: 'Decoupled weight decay (0 = off; e.g. 0.05 with adam, 5e-4 with sgd)',
      validate: (value) => { const parsed = parseWeightDecay(value); return parsed.ok ? undefined : parsed.message; },
    });
    choices.weightDecay = Number(text.trim());
    return adjustRecipe;
  };

  let presetName = '';
  const askPresetName: InputStep = async (input) => {
    const presets = context.presets!;
    const text = await input.ask({
      title: title(), step: stepNumber(9), totalSteps, value: presetName, placeholder: 'e.g. my-cifar-recipe',
      prompt: 'Preset name: saved as .classifier-lab/presets/NAME.json, then offered here and by `classifier-lab train --preset NAME`',
      validate: (value) => presetNameProblem(value.trim(), presets.builtInNames),
    });
    presetName = text.trim();
    const existing = (await (presetList ?? presets.list().catch(() => []))).some((preset) => preset.name === presetName && preset.source !== 'built-in');
    return existing ? confirmReplacePreset : savePreset;
  };

  const confirmReplacePreset: InputStep = async (input) => {
    const chosen = await input.pick({
      title: title(), step: stepNumber(9), totalSteps, placeholder: `A saved preset is named "${presetName}"`,
      items: [{ replace: true, label: `$(save) Replace the saved preset "${presetName}"` }, { replace: false, label: '$(edit) Choose another name' }],
    });
    return chosen.replace ? savePreset : askPresetName;
  };

  const savePreset: InputStep = async () => {
    const current = currentSpec();
    if ('problem' in current) {
      void vscode.window.showErrorMessage(`These settings cannot be saved as a preset: ${current.problem}`);
      return adjustRecipe;
    }
    const spec = presetSpecOf(current.spec);
    const t = spec.training;
    const description = `${spec.model.kind}, ${t.optimizer} at ${t.learningRate}${t.schedule ? ` (${SCHEDULE_DETAILS[t.schedule.kind].label})` : ''}, ${t.epochs} epochs of batch ${t.batchSize}: saved from New Training Run.`;
    try {
      const file = await context.presets!.save(presetName, description, spec);
      presetList = undefined;
      void vscode.window.showInformationMessage(`Saved preset "${presetName}" to ${file}.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not save preset "${presetName}": ${errorMessage(error)}`);
    }
    return adjustRecipe;
  };


  const finished = await MultiStepInput.run(pickDataset);
  return finished ? result : undefined;
}
