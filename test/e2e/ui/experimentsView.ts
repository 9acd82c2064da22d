// What a user does with Classifier Lab at the workbench, for the UI tests: go through the New Training
// Run (or Find Learning Rate) quick picks, read the Experiments view's rows, use a row's context menu.
// Shared by every test that answers a quick pick.
import type { Locator } from 'playwright-core';
import type { Workbench } from '../harness/workbench';

export interface ViewRow {
  label: string;
  description: string;
  /** The codicon of the status icon, e.g. `pass`, `loading` (spinning), `circle-slash`. */
  icon: string;
}

/** New Training Run asks 10 questions; Find Learning Rate asks no learning rate. */
const TRAIN_STEPS = 10;
const FIND_RATE_STEPS = 9;

function rowsLocator(workbench: Workbench): Locator {
  return workbench.page.locator('.part.sidebar .monaco-list-row[role="treeitem"]');
}

/** Shows the Experiments view (through its palette command, which never toggles it away). */
export async function showExperiments(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Classifier Lab: Focus on Experiments View');
  // A container with one view hides that view's header; the view's body is what shows.
  await workbench.page.locator('.part.sidebar .pane-header[aria-label="Experiments Section"] + .pane-body').first().waitFor({ state: 'visible', timeout: 20_000 });
}

export async function experimentRows(workbench: Workbench): Promise<ViewRow[]> {
  return rowsLocator(workbench).evaluateAll((elements) => elements.map((element) => {
    const icon = element.querySelector('.custom-view-tree-node-item-icon');
    const codicon = [...(icon?.classList ?? [])].find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin');
    return {
      label: element.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: element.querySelector('.label-description')?.textContent?.trim() ?? '',
      icon: codicon?.slice('codicon-'.length) ?? '',
    };
  }));
}

/** Polls the view until a row satisfies `accept`; the error lists what the view showed last. */
export async function waitForRow(workbench: Workbench, what: string, accept: (row: ViewRow) => boolean, timeoutMs = 60_000): Promise<ViewRow> {
  const deadline = Date.now() + timeoutMs;
  let last: ViewRow[] = [];
  for (;;) {
    last = await experimentRows(workbench);
    const found = last.find(accept);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; the Experiments view showed:\n${last.map((r) => `  [${r.icon}] ${r.label} — ${r.description}`).join('\n') || '  (no rows)'}`);
    }
    await workbench.page.waitForTimeout(100);
  }
}

async function waitForStep(workbench: Workbench, step: number, total: number): Promise<void> {
  await workbench.quickInput.locator('.quick-input-title', { hasText: `(${step}/${total})` }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** A row of the open quick pick by its label. */
export function quickPickRow(workbench: Workbench, label: string | RegExp): Locator {
  return workbench.quickInput.locator('.quick-input-list .monaco-list-row', {
    has: workbench.page.locator('.label-name', { hasText: label }),
  }).first();
}

/** The quick input's current step: its title counter and its prompt or placeholder. */
export async function waitForQuestion(workbench: Workbench, step: string, text: RegExp): Promise<void> {
  const widget = workbench.quickInput;
  await widget.locator('.quick-input-title', { hasText: step }).waitFor({ state: 'visible', timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const placeholder = await widget.locator('input.input').getAttribute('placeholder') ?? '';
    const message = await widget.locator('.quick-input-message').innerText().catch(() => '');
    if (text.test(placeholder) || text.test(message)) return;
    if (Date.now() > deadline) throw new Error(`step ${step} never asked ${text}; it showed "${placeholder}" / "${message}"`);
    await workbench.page.waitForTimeout(100);
  }
}

/** The wizard's first step: picks the sample digits once the picker has described them. */
export async function chooseDataset(workbench: Workbench, total: number): Promise<void> {
  await waitForQuestion(workbench, `(1/${total})`, /Dataset to train on/);
  await workbench.quickInput.locator('input.input').fill('mnist-digits');
  const dataset = quickPickRow(workbench, 'mnist-digits');
  await dataset.locator('.quick-input-list-label-meta', { hasText: 'classes' }).waitFor({ state: 'visible', timeout: 30_000 });
  await dataset.click();
}

export interface WizardAnswers {
  dataset: string;
  epochs: number;
  /** Absent: the default. */
  batchSize?: number;
}

/**
 * Classifier Lab: New Training Run, as a user: picks the dataset by name (returning the detail line
 * the picker shows for it: format and class counts), a CNN with its default options, the epochs, and
 * accepts every other default.
 */
export async function newTrainingRun(workbench: Workbench, answers: WizardAnswers): Promise<string> {
  return answerWizard(workbench, 'Classifier Lab: New Training Run', TRAIN_STEPS, answers);
}

/**
 * Classifier Lab: Find Learning Rate, as a user: the same questions as New Training Run but the rate;
 * the last step's first choice (Enter) starts the range test.
 */
export async function findLearningRate(workbench: Workbench, answers: WizardAnswers): Promise<string> {
  return answerWizard(workbench, 'Classifier Lab: Find Learning Rate', FIND_RATE_STEPS, answers);
}

async function answerWizard(workbench: Workbench, command: string, total: number, answers: WizardAnswers): Promise<string> {
  const page = workbench.page;
  const waitFor = (step: number) => waitForStep(workbench, step, total);
  await workbench.runCommand(command);
  await waitFor(1);
  const input = workbench.quickInput.locator('input.input');
  await input.fill(answers.dataset);
  const dataset = quickPickRow(workbench, answers.dataset);
  // The detail (format and counts) arrives once the folder has been described.
  const detail = dataset.locator('.quick-input-list-label-meta .label-description, .quick-input-list-label-meta');
  await dataset.locator('.quick-input-list-label-meta', { hasText: 'classes' }).waitFor({ state: 'visible', timeout: 30_000 });
  const datasetDetail = (await detail.first().innerText()).trim();
  await dataset.click();

  await waitFor(2);
  await quickPickRow(workbench, 'cnn').click();
  // The model's options: the first item goes on with them.
  await waitFor(3);
  await workbench.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'Continue with these options' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await waitFor(4);
  await input.fill(String(answers.epochs));
  await page.keyboard.press('Enter');
  // Batch size, (learning rate,) optimiser, loss, augmentation; the recipe step's first item starts.
  for (let step = 5; step <= total; step++) {
    await waitFor(step);
    if (step === 5 && answers.batchSize !== undefined) await input.fill(String(answers.batchSize));
    await page.keyboard.press('Enter');
  }
  await workbench.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
  return datasetDetail;
}

/**
 * Opens New Training Run, goes with its defaults to the learning-rate step (dataset and model as
 * offered), returns the rate it offers there, and closes the wizard without starting anything.
 */
export async function offeredLearningRate(workbench: Workbench): Promise<string> {
  const page = workbench.page;
  await workbench.runCommand('Classifier Lab: New Training Run');
  for (let step = 1; step < 6; step++) {
    await waitForStep(workbench, step, TRAIN_STEPS);
    // The dataset step lists its rows once the folders have been described.
    if (step === 1) await workbench.quickInput.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');
  }
  await waitForStep(workbench, 6, TRAIN_STEPS);
  const offered = await workbench.quickInput.locator('input.input').inputValue();
  await page.keyboard.press('Escape');
  await workbench.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
  return offered;
}

/** Right-clicks a row and chooses `action` from its context menu. */
export async function contextMenuAction(workbench: Workbench, rowLabel: string, action: string): Promise<void> {
  const row = rowsLocator(workbench).filter({ has: workbench.page.locator('.label-name', { hasText: new RegExp(`^${rowLabel}$`) }) }).first();
  await row.click({ button: 'right' });
  const item = workbench.page.locator('.context-view .action-label', { hasText: new RegExp(`^${action}$`) }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  // Menus ignore a click right after they open.
  await workbench.page.waitForTimeout(500);
  await item.click();
}
