// The summary: status, dataset with class counts, model, every hyperparameter, backend, timing,
// best epoch and test accuracy, and the user's notes and tags (editable).
import type { EpochPoint, RunRecord, TestResult } from '../../src/protocol/dashboardView';
import { h, replaceChildren } from '../shared/dom';
import { formatCount } from '../shared/format';
import { parseTags, summaryGroups, type SummaryRow } from './summaryRows';
import { dashboardHost } from './dashboardHost';

export class SummarySection {
  readonly element: HTMLElement;
  private readonly groups: HTMLElement;
  private readonly classCounts: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly notes: HTMLTextAreaElement;
  private readonly tags: HTMLInputElement;
  private readonly saved: HTMLElement;
  private editedNotes = false;

  constructor() {
    this.problem = h('div', { class: 'problem', attrs: { role: 'alert' } });
    this.groups = h('div', { class: 'summary-groups' });
    this.classCounts = h('div', { class: 'class-counts' });
    this.notes = h('vscode-textarea', {
      attrs: { id: 'run-notes', rows: 4, placeholder: 'What was this run for? What did you learn?', 'aria-label': 'Notes' },
      on: { input: () => { this.editedNotes = true; } },
    }) as unknown as HTMLTextAreaElement;
    this.tags = h('vscode-textfield', {
      attrs: { id: 'run-tags', placeholder: 'baseline, augmentation', 'aria-label': 'Tags, separated by commas' },
      on: { input: () => { this.editedNotes = true; } },
    }) as unknown as HTMLInputElement;
    this.saved = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
    const save = h('vscode-button', {
      on: {
        click: () => {
          dashboardHost.post({ type: 'setNotes', notes: this.notes.value, tags: parseTags(this.tags.value) });
          this.editedNotes = false;
          this.saved.textContent = 'Saving…';
        },
      },
    }, 'Save notes');
    this.element = h('div', { class: 'summary' },
      this.problem,
      this.groups,
      h('section', { class: 'summary-group wide', attrs: { 'aria-labelledby': 'class-counts-title' } },
        h('h3', { attrs: { id: 'class-counts-title' } }, 'Classes'), this.classCounts),
      h('section', { class: 'summary-group wide notes', attrs: { 'aria-labelledby': 'notes-title' } },
        h('h3', { attrs: { id: 'notes-title' } }, 'Notes and tags'),
        h('label', { attrs: { for: 'run-notes' } }, 'Notes'), this.notes,
        h('label', { attrs: { for: 'run-tags' } }, 'Tags (comma-separated)'), this.tags,
        h('div', { class: 'actions' }, save, this.saved)));
  }

  /** How the run's Slurm job stands now, in words; shown with the run's next update. */
  private jobState?: string;
  private shown?: { run: RunRecord; epochs: readonly EpochPoint[]; test: TestResult | undefined };

  /** The Slurm job's state changed: shows it at once. */
  setJobState(state: string | undefined): void {
    this.jobState = state;
    if (this.shown) this.update(this.shown.run, this.shown.epochs, this.shown.test);
  }

  update(run: RunRecord, epochs: readonly EpochPoint[], test: TestResult | undefined): void {
    this.shown = { run, epochs, test };
    if (run.error) replaceChildren(this.problem, h('strong', {}, 'The run failed: '), run.error);
    else replaceChildren(this.problem);
    this.problem.hidden = !run.error;
    replaceChildren(this.groups, ...summaryGroups(run, epochs, test, this.jobState).map((group) => h('section', { class: 'summary-group', attrs: { 'aria-label': group.title } },
      h('h3', {}, group.title),
      h('dl', { class: 'facts' }, ...group.rows.flatMap((row) => [h('dt', {}, row.label), h('dd', { attrs: { 'data-key': row.key } }, this.value(row))])))));
    this.renderClassCounts(run);
    if (!this.editedNotes) {
      this.notes.value = run.notes ?? '';
      this.tags.value = (run.tags ?? []).join(', ');
      if (this.saved.textContent === 'Saving…') this.saved.textContent = 'Saved.';
    }
  }

  /** A row's value; one naming another run links to its dashboard. */
  private value(row: SummaryRow): HTMLElement | string {
    const runId = row.runId;
    if (runId === undefined) return row.value;
    return h('button', {
      class: 'link', attrs: { type: 'button', title: 'Open the dashboard of that run' },
      on: { click: () => dashboardHost.post({ type: 'openRun', runId }) },
    }, row.value);
  }

  private renderClassCounts(run: RunRecord): void {
    const dataset = run.dataset;
    if (!dataset) {
      replaceChildren(this.classCounts, h('p', { class: 'muted' }, 'Known once training has loaded the dataset.'));
      return;
    }
    const counts = dataset.classCounts;
    const header = ['Class', ...(counts ? ['Train', 'Validation', 'Test'] : [])];
    replaceChildren(this.classCounts, h('table', { class: 'data-table', attrs: { 'aria-label': 'Examples per class and split' } },
      h('thead', {}, h('tr', {}, ...header.map((title) => h('th', { attrs: { scope: 'col' } }, title)))),
      h('tbody', {}, ...dataset.classes.map((name, i) => h('tr', {},
        h('th', { attrs: { scope: 'row' } }, name),
        ...(counts ? [counts.train[i], counts.val[i], counts.test[i]].map((n) => h('td', { class: 'number' }, formatCount(n))) : []))))));
  }
}
