// The training doctor's banner at the top of a run's dashboard: each finding with its severity and, where
// the doctor has one, a button that reruns the run with its fix.
import type { DoctorFinding } from '../../src/protocol/dashboardView';
import { h, replaceChildren } from '../shared/dom';
import { dashboardHost } from './dashboardHost';
import { findingsSummary } from './findingsSummary';

const SEVERITY_WORDS: Record<DoctorFinding['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Note' };

export class DoctorBanner {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('section', { class: 'doctor-banner', attrs: { 'aria-label': 'Training doctor' } });
    this.element.hidden = true;
  }

  show(findings: readonly DoctorFinding[]): void {
    this.element.hidden = findings.length === 0;
    const worst = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
    this.element.className = `doctor-banner severity-${worst}`;
    replaceChildren(this.element,
      h('h2', { class: 'doctor-heading' }, 'Training doctor: ', findingsSummary(findings)),
      h('ul', { class: 'findings' }, ...findings.map((finding) => {
        const status = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
        const button = finding.fixTitle
          ? h('vscode-button', {
            attrs: { 'data-rule': finding.rule },
            on: {
              click: () => {
                dashboardHost.post({ type: 'applyFix', rule: finding.rule });
                status.textContent = 'Queued a rerun.';
              },
            },
          }, finding.fixTitle)
          : undefined;
        return h('li', { class: `finding finding-${finding.severity}`, attrs: { 'data-rule': finding.rule } },
          h('span', { class: 'severity' }, SEVERITY_WORDS[finding.severity]),
          h('span', { class: 'finding-message' }, finding.message),
          button && h('span', { class: 'finding-fix' }, button, status));
      })));
  }
}
