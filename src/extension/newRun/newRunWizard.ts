// New Training Run: dataset (with its detected format and class counts), model and its options (or a
// preset, or a finished run to fine-tune), epochs, batch size, learning rate (or find one), optimiser, loss,
// augmentation (with a preview), then the recipe (schedule, weight decay, test-time augmentation);
// remembers the answers; can start from a saved run spec. The same steps open New Sweep, which goes on
// from them (runSettingsSteps).
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeDataset, type DatasetDescription } from '../../core/data/describeDataset';
import { DEFAULT_FOLDER_IMAGE_SIZE } from '../../core/data/imageSize';
import { SUGGESTED_IMAGE_SIZES } from '../../core/data/suggestImageSize';
import { errorMessage } from '../../core/errorMessage';
import { presetSpecOf } from '../../core/presets/presetStore';
import type { PresetExpectation, PresetSpec, RunPreset } from '../../core/presets/runPreset';
import type { RunRecord } from '../../core/runs/runRecord';
import {
  AUGMENT_KINDS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS, SCHEDULE_KINDS,
  type AugmentKind, type AugmentSpec, type LossKind, type ModelKind, type ModelSpec, type OptimizerKind, type RunSpec,
} from '../../core/runSpec';
import { browseForDataset, datasetPickItems, rememberDataset, type DatasetItem } from './datasetPicker';
import { datasetProblem } from './datasetSummaryText';
import { InputAction, MultiStepInput, type InputStep } from './multiStepInput';
import {
  augmentKinds, choicesFromSpec, initialChoices, modelOptionRows, modelOptionsProblem, modelOptionText, parseLearningRate, parseModelOptionInput,
  parseSavedRunSpec, parseWholeNumber, rememberedChoices, specFromChoices, WIZARD_VAL_SPLIT, type ModelOptionRow, type NewRunChoices, type Parsed,
} from './newRunChoices';
import type { TrainingDefaults } from '../settingsValues';
import {
  fineTuneCompatibility, parseFreezeEpochs, parseWeightDecay, presetItem, presetNameProblem, SCHEDULE_DETAILS, sourceRunItem,
} from './recipeChoices';

const LAST_CHOICES_KEY = 'classifierLab.lastRunChoices';
/**
 * The run settings' steps: dataset, model, model options, epochs (and head-only epochs when fine-tuning),
 * batch size, learning rate, optimiser, loss, augmentation, recipe. Finding the learning rate asks one fewer.
 */
export const RUN_SETTINGS_STEPS = 10;
/** The learning rate's step: finding one skips it, and the steps after it move up one. */
const LEARNING_RATE_STEP = 6;

export interface NewRunWizardContext {
  workspaceState: vscode.Memento;
  defaults: TrainingDefaults;
  /** Absolute paths of the open workspace folders, searched for datasets. */
  workspaceFolders: readonly string[];
  /** Shows the augmentation preview of a spec (the augmentation step then has a button for it); resolves with the user's decision. */
  previewAugmentation?(spec: RunSpec): Promise<{ action: 'start' | 'back'; augment: AugmentSpec } | undefined>;
  /** Answers to start from: a dataset, and augmentation strengths set in a preview. */
  preset?: { datasetPath: string; augment: AugmentSpec };
  /** Runs a new run can start from ("Start from run…"): their records and folders. */
  finishedRuns?: () => readonly { record: RunRecord; runDir: string }[];
  /** The built-in and saved presets, and saving one (absent: no presets are offered). */
  presets?: WizardPresets;
  /** Fine-tune from this run: the model is its, the dataset must fit it ("Fine-tune from This Run…"). */
  initFrom?: { record: RunRecord; runDir: string };
}

export type WizardPurpose = 'train' | 'findLearningRate';

export interface WizardPresets {
  list(): Promise<RunPreset[]>;
  /** Saves a preset (replacing a saved one of that name) and returns its file. */
  save(name: string, description: string, spec: PresetSpec, expected?: PresetExpectation): Promise<string>;
  builtInNames: readonly string[];
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
  /** Train with the spec, or find its learning rate first (the finder's tab then starts the run). */
  then: WizardPurpose;
}

/** How a sequence uses the run settings' steps. */
export interface RunSettingsFlow {
  /** The sequence's title, e.g. `New Training Run`; the dataset follows it once chosen. */
  name: string;
  /** Steps of the whole sequence: the run settings are its first RUN_SETTINGS_STEPS (one fewer when finding the learning rate). */
  totalSteps: number;
  /** The item that goes on with the settings (a saved spec's review, the recipe step), e.g. `Start Training`. */
  goLabel: string;
  /** What the answers are for (default train); `findLearningRate` asks no learning rate. */
  purpose?: WizardPurpose;
  /** Offer to find the learning rate first (New Training Run; not New Sweep). */
  offerFindLearningRate?: boolean;
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

/** Saves the answers for next time (after a run was started with them). */
export async function rememberChoices(state: vscode.Memento, choices: NewRunChoices): Promise<void> {
  await state.update(LAST_CHOICES_KEY, choices);
  await rememberDataset(state, choices.datasetPath);
}

/**
 * The run settings' steps, as New Training Run asks them: dataset, model (or a preset, or a run to
 * fine-tune), the model's options, epochs, batch size, learning rate, optimiser, loss, augmentation and
 * the recipe (or a saved run spec or a preset, reviewed), then `flow.next`.
 */
export function runSettingsSteps(context: NewRunWizardContext, flow: RunSettingsFlow): RunSettingsSteps {
  const totalSteps = flow.totalSteps;
  const choices: Choices = initialChoices(context.defaults, rememberedChoices(context.workspaceState.get(LAST_CHOICES_KEY)));
  /** The finder asks no learning rate: the steps after it move up one. */
  const asksRate = flow.purpose !== 'findLearningRate';
  const stepNumber = (step: number) => (asksRate || step < LEARNING_RATE_STEP ? step : step - 1);
  let then: WizardPurpose = flow.purpose ?? 'train';
  const offerFind = flow.offerFindLearningRate === true;
  /** The dataset chosen, as described (for fine-tuning's shape check and the image size it suggests). */
  let described: DatasetDescription | undefined;
  /** The folder image size the user picked in the recipe step (else the dataset's suggestion applies). */
  let pickedImageSize: number | undefined;
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
  const heading = fineTuneSource ? `Fine-tune from ${fineTuneSource.record.name}` : flow.name;
  const title = () => `${heading}${datasetTitle ? ` · ${datasetTitle}` : ''}`;

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
    pickedImageSize = undefined;
    if (!fineTuneSource) useFolderImageSize();
    const images = description.classes.reduce((sum, c) => sum + c.trainCount + c.testCount, 0);
    datasetTitle = `${basename(path)} (${description.classes.length} classes, ${images.toLocaleString('en-US')} images)`;
    return true;
  };

  /** A folder dataset's images are resized to the size picked, else the one its images suggest (32, the default, is left unsaid). */
  const useFolderImageSize = (): void => {
    const size = described?.format === 'folder' ? pickedImageSize ?? described.imageSizeSuggestion?.size : undefined;
    if (size !== undefined && (size !== DEFAULT_FOLDER_IMAGE_SIZE || pickedImageSize !== undefined)) choices.imageSize = size;
    else delete choices.imageSize;
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
      return (await useDataset(chosen.path)) ? afterDataset() : pickDataset;
    }
    input.hide();
    if (chosen.action === 'extra' && chosen.extra) return chosen.extra.run();
    if (chosen.action === 'browse') {
      const picked = await browseForDataset(context, 'Train on This Folder');
      if (picked === undefined) return pickDataset;
      return (await useDataset(picked)) ? afterDataset() : pickDataset;
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
      // The saved spec's own image size (or none) stands, as everything else in it does.
      delete choices.imageSize;
      Object.assign(choices, choicesFromSpec(spec));
      return review;
    } catch (error) {
      void vscode.window.showErrorMessage(`${basename(file[0].fsPath)} cannot be used: ${errorMessage(error)}`);
      return pickDataset;
    }
  };

  const goLabel = (): string => (then === 'findLearningRate' ? '$(graph-line) Find Learning Rate' : `$(play) ${flow.goLabel}`);

  const review: InputStep = async (input) => {
    const done = choices as NewRunChoices;
    const summary = `${done.model.toUpperCase()} · ${done.epochs} epochs · batch ${done.batchSize} · lr ${done.learningRate} · ${done.optimizer} · ${done.loss}${done.augment.length ? ` · ${done.augment.join(', ')}` : ''}`;
    const chosen = await input.pick<vscode.QuickPickItem & { start: boolean; find?: boolean }>({
      title: title(), placeholder: 'Go on with the saved settings, or go through them first',
      items: [
        { start: true, label: goLabel(), detail: summary },
        { start: false, label: '$(settings) Adjust the Settings', detail: 'Model and its options, epochs, batch size, learning rate, optimiser, loss, augmentation and the recipe' },
        ...(then === 'train' && offerFind ? [{ start: true, find: true, label: '$(graph-line) Find a Learning Rate First', detail: 'A short range test on this dataset and model; start the run from its suggestion' }] : []),
      ],
    });
    if (chosen.find) then = 'findLearningRate';
    return chosen.start ? finish() : pickModel;
  };

  /** A step that picks the `key` answer among `kinds`, then goes on to `next`. */
  const pickOne = <K extends 'optimizer' | 'loss'>(key: K, kinds: readonly NewRunChoices[K][], details: Record<NewRunChoices[K], string>, step: number, placeholder: string, next: () => InputStep): InputStep => async (input) => {
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

  /** Fine-tuning trains the source run's model: no model or options to choose. */
  const afterDataset = (): InputStep => (fineTuneSource ? askEpochs : pickModel);
  const askEpochs = askNumber('epochs', 4, 'Epochs: passes over the training images', (text) => parseWholeNumber(text, 'Epochs', 1, 10_000), () => (choices.initFrom ? askFreezeEpochs : askBatchSize));
  const askBatchSize = askNumber('batchSize', 5, 'Batch size: images per training step', (text) => parseWholeNumber(text, 'The batch size', 1, 4096), () => (asksRate ? askLearningRate : pickOptimizer));
  const pickOptimizer = pickOne('optimizer', OPTIMIZER_KINDS, OPTIMIZER_DETAILS, 7, 'Optimiser', () => pickLoss);
  const pickLoss = pickOne('loss', LOSS_KINDS, LOSS_DETAILS, 8, 'Loss', () => pickAugmentation);

  const pickAugmentation: InputStep = async (input) => {
    const preview = context.previewAugmentation;
    for (;;) {
      const { selected, button } = await input.pickManyOrButton<vscode.QuickPickItem & { value: AugmentKind }>({
        title: title(), step: stepNumber(9), totalSteps,
        placeholder: `Augmentation while training (none selected = off); Enter goes on to the recipe${preview ? '; the eye previews it' : ''}`,
        items: AUGMENT_KINDS.map((value) => ({ value, label: value, description: AUGMENT_DETAILS[value] })),
        selected: (item) => choices.augment.includes(item.value),
      }, preview ? [PREVIEW_BUTTON] : []);
      choices.augment = selected.map((item) => item.value);
      if (!button || !preview) return adjustRecipe;
      input.hide();
      const current = currentSpec();
      if ('problem' in current) {
        void vscode.window.showErrorMessage(`These settings cannot be previewed: ${current.problem}`);
        continue;
      }
      const decision = await preview(current.spec);
      if (!decision) continue;
      previewed = decision.augment;
      choices.augment = augmentKinds(decision.augment);
      // The preview's Start Training starts the run with the recipe as it stands.
      if (decision.action === 'start') return finish();
    }
  };

  const finish = (): InputStep | void => {
    const complete = choices as NewRunChoices;
    return flow.next({ spec: specNow(), choices: { ...complete, modelOptions: { ...(complete.modelOptions ?? {}) } }, then });
  };
  /** The spec of the answers so far, with the previewed strengths; fine-tuning keeps the source run's model. Throws when they cannot make one. */
  const specNow = (): RunSpec => {
    const spec = specFromChoices(choices as NewRunChoices, base, previewed);
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
        // Another kind of model has other options: they start from its defaults.
        if (chosen.value !== choices.model || choices.initFrom !== undefined) choices.modelOptions = {};
        choices.model = chosen.value;
        delete choices.initFrom;
        delete choices.freezeEpochs;
        useFolderImageSize();
        return pickModelOptions;
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
        // A preset's own image size stands; without one, the dataset's applies.
        if (spec.data.imageSize !== undefined) delete choices.imageSize;
        else useFolderImageSize();
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
      title: title(), step: 4, totalSteps, value: String(Math.min(choices.freezeEpochs ?? 0, epochs)),
      prompt: `Epochs that train only the classifier head before every layer trains (0 to ${epochs}; 0 trains every layer from the start)`,
      validate: (value) => { const parsed = parseFreezeEpochs(value, epochs); return parsed.ok ? undefined : parsed.message; },
    });
    choices.freezeEpochs = Number(text.trim());
    return askBatchSize;
  };

  const askLearningRate: InputStep = async (input) => {
    try {
      const text = await input.ask({
        title: title(), step: LEARNING_RATE_STEP, totalSteps, value: String(choices.learningRate),
        prompt: `Learning rate (e.g. 0.001 or 1e-3), the peak of a schedule${offerFind ? '; or find one with a short range test (the chart button above)' : ''}`,
        validate: (value) => { const parsed = parseLearningRate(value); return parsed.ok ? undefined : parsed.message; },
        actions: !offerFind ? [] : [{ id: 'findLearningRate', icon: 'graph-line', tooltip: 'Find a learning rate: a short range test on this dataset and model, then start the run from its suggestion' }],
      });
      choices.learningRate = Number(text.trim());
    } catch (error) {
      if (!(error instanceof InputAction)) throw error;
      then = 'findLearningRate';
    }
    return pickOptimizer;
  };

  type RecipeAction = 'start' | 'schedule' | 'weightDecay' | 'nesterov' | 'tta' | 'imageSize' | 'findLearningRate' | 'savePreset' | 'none';
  /** The side a folder dataset's images are resized to by these answers; undefined for CIFAR, IDX and fine-tuning (their size is fixed). */
  const folderImageSize = (spec: RunSpec | undefined): number | undefined =>
    described?.format === 'folder' && choices.initFrom === undefined ? spec?.data.imageSize ?? DEFAULT_FOLDER_IMAGE_SIZE : undefined;
  const suggestionText = (): string => {
    const suggestion = described?.imageSizeSuggestion;
    return suggestion ? `${suggestion.size} px suggested: the median image is ${suggestion.medianShortSide.toLocaleString('en-US')} px on its shorter side` : 'no image size could be read';
  };
  const adjustRecipe: InputStep = async (input) => {
    const finding = then === 'findLearningRate';
    const current = currentSpec();
    const training = 'spec' in current ? current.spec.training : undefined;
    const schedule = training?.schedule?.kind ?? 'constant';
    const optimizer = choices.optimizer;
    const weightDecay = training?.weightDecay ?? 0;
    const tta = training?.testTimeAugmentation ?? 'none';
    const imageSize = folderImageSize('spec' in current ? current.spec : undefined);
    const done = choices as NewRunChoices;
    const summary = 'spec' in current
      ? `${done.model}${choices.initFrom ? ` from ${basename(choices.initFrom)}` : ''}${imageSize !== undefined ? ` · ${imageSize} px` : ''} · ${done.epochs} epochs · batch ${done.batchSize}${finding ? '' : ` · lr ${done.learningRate}`} · ${done.optimizer} · ${done.loss}${done.augment.length ? ` · ${done.augment.join(', ')}` : ''}`
      : `$(warning) ${current.problem}`;
    const items: (vscode.QuickPickItem & { act: RecipeAction })[] = [
      { act: 'start', label: goLabel(), detail: summary },
      { kind: vscode.QuickPickItemKind.Separator, label: 'recipe', act: 'none' },
      { act: 'schedule', label: `$(pulse) Learning-rate schedule: ${SCHEDULE_DETAILS[schedule].label}`, detail: SCHEDULE_DETAILS[schedule].detail },
      optimizer === 'rmsprop'
        ? { act: 'none', label: '$(dashboard) Weight decay: not with rmsprop', detail: 'Decoupled weight decay works with the adam and sgd optimisers.' }
        : { act: 'weightDecay', label: `$(dashboard) Weight decay: ${weightDecay > 0 ? weightDecay : 'off'}`, detail: `Decoupled (${optimizer === 'adam' ? 'AdamW' : 'SGDW'}-style): every step shrinks the kernels by rate × decay. 0.05 for AdamW, 5e-4 for SGD are common.` },
      ...(optimizer === 'sgd' ? [{ act: 'nesterov' as const, label: `$(arrow-right) Nesterov momentum: ${training?.nesterov ? 'on' : 'off'}`, detail: 'Momentum that looks ahead before each step.' }] : []),
      { act: 'tta', label: `$(mirror) Test-time augmentation: ${tta === 'flip' ? 'flip' : 'off'}`, detail: 'Evaluate each image and its mirror image and average them (validation, test and Classify Image).' },
      ...(imageSize !== undefined ? [{
        act: 'imageSize' as const, label: `$(screen-full) Image size: ${imageSize}×${imageSize} px${imageSize === described?.imageSizeSuggestion?.size ? ' (recommended)' : ''}`,
        detail: `Images are resized to this before training and classifying; ${suggestionText()}.`,
      }] : []),
      { kind: vscode.QuickPickItemKind.Separator, label: '', act: 'none' },
      ...(finding || !offerFind ? [] : [{ act: 'findLearningRate' as const, label: '$(graph-line) Find a Learning Rate First', detail: 'A short range test on this dataset and model; start the run from its suggestion' }]),
      ...(context.presets ? [{ act: 'savePreset' as const, label: '$(save) Save as Preset…', detail: 'Keep these settings (all but the dataset) as a preset for later runs and the command line' }] : []),
    ];
    const chosen = await input.pick({
      title: title(), step: stepNumber(10), totalSteps, items,
      placeholder: `Enter ${finding ? 'finds the learning rate' : totalSteps > RUN_SETTINGS_STEPS ? 'goes on' : 'starts training'}; or change the schedule, weight decay or test-time augmentation`,
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
      case 'imageSize':
        return pickImageSize;
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
      title: title(), step: stepNumber(10), totalSteps, placeholder: 'Learning-rate schedule: how the rate changes over training (the learning rate is its peak)',
      items: SCHEDULE_KINDS.map((value) => ({ value, label: SCHEDULE_DETAILS[value].label, detail: SCHEDULE_DETAILS[value].detail })),
      activeItem: (item) => item.value === kind,
    });
    choices.schedule = chosen.value;
    return adjustRecipe;
  };

  const pickImageSize: InputStep = async (input) => {
    const current = currentSpec();
    const size = folderImageSize('spec' in current ? current.spec : undefined) ?? DEFAULT_FOLDER_IMAGE_SIZE;
    const suggested = described?.imageSizeSuggestion?.size;
    const sizes = SUGGESTED_IMAGE_SIZES.includes(size as (typeof SUGGESTED_IMAGE_SIZES)[number]) ? SUGGESTED_IMAGE_SIZES : [...SUGGESTED_IMAGE_SIZES, size].sort((a, b) => a - b);
    const chosen = await input.pick({
      title: title(), step: stepNumber(10), totalSteps,
      placeholder: `Image size: the side images are resized to (${suggestionText()})`,
      items: sizes.map((value) => ({
        value, label: `${value}×${value} px`,
        description: [value === suggested ? 'recommended' : '', value === DEFAULT_FOLDER_IMAGE_SIZE ? 'default' : ''].filter(Boolean).join(', '),
        detail: value === DEFAULT_FOLDER_IMAGE_SIZE
          ? 'The fastest; enough for small images and icons.'
          : 'More detail from photos: every model reduces it first (strided stem, row bands, larger patches), so a step costs about the same; decoding and the decoded cache grow with the pixels.',
      })),
      activeItem: (item) => item.value === size,
    });
    pickedImageSize = chosen.value;
    useFolderImageSize();
    return adjustRecipe;
  };

  const askWeightDecay: InputStep = async (input) => {
    const current = currentSpec();
    const text = await input.ask({
      title: title(), step: stepNumber(10), totalSteps, value: String('spec' in current ? current.spec.training.weightDecay ?? 0 : 0),
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
      title: title(), step: stepNumber(10), totalSteps, value: presetName, placeholder: 'e.g. my-cifar-recipe',
      prompt: 'Preset name: saved as .classifier-lab/presets/NAME.json, then offered here and by `classifier-lab train --preset NAME`',
      validate: (value) => presetNameProblem(value.trim(), presets.builtInNames),
    });
    presetName = text.trim();
    const existing = (await (presetList ?? presets.list().catch(() => []))).some((preset) => preset.name === presetName && preset.source !== 'built-in');
    return existing ? confirmReplacePreset : savePreset;
  };

  const confirmReplacePreset: InputStep = async (input) => {
    const chosen = await input.pick({
      title: title(), step: stepNumber(10), totalSteps, placeholder: `A saved preset is named "${presetName}"`,
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

  return { first: pickDataset, title };
}

/** Runs New Training Run (or, for `findLearningRate`, the finder's questions); undefined when the user escaped. */
export async function runNewRunWizard(context: NewRunWizardContext, purpose: WizardPurpose = 'train'): Promise<RunSettings | undefined> {
  let result: RunSettings | undefined;
  const steps = runSettingsSteps(context, {
    name: purpose === 'findLearningRate' ? 'Find Learning Rate' : 'New Training Run',
    totalSteps: purpose === 'findLearningRate' ? RUN_SETTINGS_STEPS - 1 : RUN_SETTINGS_STEPS,
    goLabel: 'Start Training', purpose, offerFindLearningRate: true,
    next: (settings) => { result = settings; },
  });
  const finished = await MultiStepInput.run(steps.first);
  return finished ? result : undefined;
}
