// New Sweep: the base run as New Training Run asks it (dataset, model and its options, epochs, ...), then
// the images each trial trains on, the search method, the parameters to search and their values, the
// budget, the metric and a name; or "From Sweep File..." for a JSON spec. Remembers the answers.
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { isRecord } from '../../core/guards';
import { parseSweepSpec } from '../../core/sweeps/parseSweepSpec';
import { SWEEP_METHODS, type SpaceEntry, type SweepMethod, type SweepMetric, type SweepSpec } from '../../core/sweeps/sweepSpec';
import { MultiStepInput, type InputStep } from '../newRun/multiStepInput';
import { parseWholeNumber } from '../newRun/newRunChoices';
import { RUN_SETTINGS_STEPS, rememberChoices, runSettingsSteps, type NewRunWizardContext, type RunSettings } from '../newRun/newRunWizard';
import {
  budgetText, defaultSweepName, parseBudget, parseSpaceText, searchCandidates, spaceEntryProblem, spaceEntryText, sweepSpecFromAnswers,
  type SearchCandidate,
} from './sweepChoices';

const LAST_SWEEP_KEY = 'classifierLab.lastSweepChoices';
const TOTAL_STEPS = RUN_SETTINGS_STEPS + 7;

/** What is remembered between sweeps: the last method, limit, budget, metric and the values typed per parameter. */
interface RememberedSweep {
  method?: SweepMethod;
  limit?: string;
  budget?: string;
  metric?: SweepMetric;
  params?: string[];
  values?: Record<string, string>;
}

function remembered(value: unknown): RememberedSweep {
  if (!isRecord(value)) return {};
  const strings = (v: unknown): v is string => typeof v === 'string' && v.length <= 500;
  const out: RememberedSweep = {};
  if (SWEEP_METHODS.includes(value.method as SweepMethod)) out.method = value.method as SweepMethod;
  if (value.metric === 'valAcc' || value.metric === 'valLoss') out.metric = value.metric;
  if (strings(value.limit)) out.limit = value.limit;
  if (strings(value.budget)) out.budget = value.budget;
  if (Array.isArray(value.params) && value.params.every(strings)) out.params = value.params;
  if (isRecord(value.values)) out.values = Object.fromEntries(Object.entries(value.values).filter(([, v]) => strings(v))) as Record<string, string>;
  return out;
}

const METHOD_DETAILS: Record<SweepMethod, string> = {
  random: 'Draws each trial\'s values at random (seeded); ranges in log space with "log". Good for most searches.',
  grid: 'Every combination of the values (ranges need "steps N"). Thorough, but grows fast.',
  halving: 'Successive halving: many short trials, then the best third trained three times longer, and again.',
};

/** Runs the picker; the checked spec, or undefined when the user escaped. */
export async function runNewSweepWizard(context: NewRunWizardContext): Promise<SweepSpec | undefined> {
  const last = remembered(context.workspaceState.get(LAST_SWEEP_KEY));
  let settings: RunSettings | undefined;
  let limit: number | undefined;
  let limitText = last.limit ?? '';
  let method: SweepMethod = last.method ?? 'random';
  let chosen: SearchCandidate[] = [];
  const values = new Map<string, string>(Object.entries(last.values ?? {}));
  let space: Record<string, SpaceEntry> = {};
  let budget: { trials?: number; budgetMinutes?: number } = {};
  let metric: SweepMetric = last.metric ?? 'valAcc';
  let result: SweepSpec | undefined;

  const steps = runSettingsSteps(context, {
    name: 'New Sweep', totalSteps: TOTAL_STEPS, goLabel: 'Use These Settings as the Base Run',
    extraActions: [{
      label: '$(json) From Sweep File…', detail: 'A sweep spec JSON file, as `classifier-lab sweep --spec FILE` takes it',
      run: async () => {
        const file = await vscode.window.showOpenDialog({
          canSelectFiles: true, canSelectFolders: false, canSelectMany: false, openLabel: 'Start This Sweep', title: 'Sweep spec',
          filters: { 'Sweep spec': ['json'] }, defaultUri: context.workspaceFolders[0] ? vscode.Uri.file(context.workspaceFolders[0]) : undefined,
        });
        if (!file?.[0]) return steps.first;
        try {
          const text = await readFile(file[0].fsPath, 'utf8');
          let raw: unknown;
          try {
            raw = JSON.parse(text);
          } catch (error) {
            throw new Error(`it is not valid JSON (${errorMessage(error)}).`);
          }
          result = parseSweepSpec(raw, dirname(file[0].fsPath));
          return undefined;
        } catch (error) {
          void vscode.window.showErrorMessage(`${basename(file[0].fsPath)} cannot be used: ${errorMessage(error)}`);
          return steps.first;
        }
      },
    }],
    next: (answered) => {
      settings = answered;
      return askLimit;
    },
  });
  const title = steps.title;

  const askLimit: InputStep = async (input) => {
    const text = await input.ask({
      title: title(), step: RUN_SETTINGS_STEPS + 1, totalSteps: TOTAL_STEPS, value: limitText, placeholder: 'all of them',
      prompt: 'Training images per trial (empty: all): fewer make each trial quicker',
      validate: (value) => {
        if (value.trim() === '') return undefined;
        const parsed = parseWholeNumber(value, 'The number of images', 1, 100_000_000);
        return parsed.ok ? undefined : parsed.message;
      },
    });
    limitText = text.trim();
    limit = limitText === '' ? undefined : Number(limitText);
    return pickMethod;
  };

  const pickMethod: InputStep = async (input) => {
    const picked = await input.pick({
      title: title(), step: RUN_SETTINGS_STEPS + 2, totalSteps: TOTAL_STEPS, placeholder: 'Search method',
      items: (['random', 'grid', 'halving'] as const).map((value) => ({ value, label: value, detail: METHOD_DETAILS[value] })),
      activeItem: (item) => item.value === method,
    });
    method = picked.value;
    return pickParams;
  };

  const pickParams: InputStep = async (input) => {
    const candidates = searchCandidates(settings!.spec, method);
    const previously = chosen.length > 0 ? chosen.map((c) => c.name) : last.params ?? ['learningRate'];
    const picked = await input.pickMany({
      title: title(), step: RUN_SETTINGS_STEPS + 3, totalSteps: TOTAL_STEPS, placeholder: 'Parameters to search (Enter goes on to their values)',
      items: candidates.map((candidate) => ({ candidate, label: candidate.name, description: values.get(candidate.name) ?? candidate.suggestion, detail: candidate.description })),
      selected: (item) => previously.includes(item.candidate.name),
    });
    if (picked.length === 0) {
      void vscode.window.showWarningMessage('Pick at least one parameter to search.');
      return pickParams;
    }
    chosen = picked.map((item) => item.candidate);
    return askValues;
  };

  const askValues: InputStep = async (input) => {
    const answers = { base: settings!.spec, ...(limit !== undefined ? { limit } : {}), method };
    space = {};
    for (const [i, candidate] of chosen.entries()) {
      const text = await input.ask({
        title: `${title()} · ${candidate.name} (${i + 1} of ${chosen.length})`, step: RUN_SETTINGS_STEPS + 4, totalSteps: TOTAL_STEPS,
        value: values.get(candidate.name) ?? candidate.suggestion,
        prompt: `Values of ${candidate.name}: a list (32, 64; + joins: flip+crop) or a range (0.0001..0.01, with "log"${method === 'grid' ? ' and "steps N"' : ''})`,
        validate: (value) => {
          try {
            return spaceEntryProblem(answers, candidate.name, parseSpaceText(value, candidate.name));
          } catch (error) {
            return errorMessage(error);
          }
        },
      });
      const entry = parseSpaceText(text, candidate.name);
      values.set(candidate.name, spaceEntryText(entry));
      space[candidate.name] = entry;
    }
    return askBudget;
  };

  const askBudget: InputStep = async (input) => {
    const suggested = last.budget ?? (method === 'grid' ? '' : '12 trials');
    const text = await input.ask({
      title: title(), step: RUN_SETTINGS_STEPS + 5, totalSteps: TOTAL_STEPS, value: budgetText(budget) || suggested,
      placeholder: method === 'grid' ? 'every combination' : '12 trials, 20 min',
      prompt: method === 'halving' ? 'Configurations in the first rung (trials), and optionally a time limit (min)'
        : method === 'grid' ? 'At most this many trials and/or this long (empty: every combination)' : 'How many trials and/or how long, e.g. 12 trials, 20 min',
      validate: (value) => {
        if (value.trim() === '') return method === 'random' ? 'A random search needs a budget: a number of trials, a time, or both.' : method === 'halving' ? 'Halving needs a number of trials.' : undefined;
        try {
          const parsed = parseBudget(value);
          if (method === 'halving' && parsed.trials === undefined) return 'Halving needs a number of trials: how many configurations its first rung tries.';
          return undefined;
        } catch (error) {
          return errorMessage(error);
        }
      },
    });
    budget = text.trim() === '' ? {} : parseBudget(text);
    return pickMetric;
  };

  const pickMetric: InputStep = async (input) => {
    const picked = await input.pick({
      title: title(), step: RUN_SETTINGS_STEPS + 6, totalSteps: TOTAL_STEPS, placeholder: 'What to optimise',
      items: [
        { value: 'valAcc' as const, label: 'valAcc', detail: 'Best validation accuracy of each trial, higher is better' },
        { value: 'valLoss' as const, label: 'valLoss', detail: 'Lowest validation loss of each trial, lower is better' },
      ],
      activeItem: (item) => item.value === metric,
    });
    metric = picked.value;
    return askName;
  };

  const askName: InputStep = async (input) => {
    const answers = { base: settings!.spec, ...(limit !== undefined ? { limit } : {}), method, space, metric, ...budget, seed: 0 };
    const text = await input.ask({
      title: title(), step: TOTAL_STEPS, totalSteps: TOTAL_STEPS, value: defaultSweepName(settings!.spec, chosen.map((c) => c.name)),
      prompt: 'Name of the sweep (its trials are named "<name> #1", "#2", ...); Enter starts it',
      validate: (value) => {
        if (value.trim() === '') return 'A sweep needs a name.';
        try {
          sweepSpecFromAnswers({ ...answers, name: value.trim() });
          return undefined;
        } catch (error) {
          return `${errorMessage(error)} (go back to change it)`;
        }
      },
    });
    result = sweepSpecFromAnswers({ ...answers, name: text.trim() });
  };

  const finished = await MultiStepInput.run(steps.first);
  if (!finished || !result) return undefined;
  if (settings) {
    await rememberChoices(context.workspaceState, settings.choices);
    await context.workspaceState.update(LAST_SWEEP_KEY, {
      method, limit: limitText, budget: budgetText(budget), metric, params: chosen.map((c) => c.name), values: Object.fromEntries(values),
    } satisfies RememberedSweep);
  }
  return result;
}
