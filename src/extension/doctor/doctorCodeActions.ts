// Quick fixes for the training doctor's findings in a run.json: "Rerun with learning rate 0.0001" and
// the like (the finding's fix), and opening the run's dashboard.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { RunDoctor } from './runDoctor';
import { DOCTOR_SOURCE } from './doctorFindings';

export const APPLY_DOCTOR_FIX_COMMAND = 'classifierLab.applyDoctorFix';

export class DoctorCodeActions implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly doctor: RunDoctor) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (basename(document.uri.fsPath) !== 'run.json') return [];
    const runId = basename(dirname(document.uri.fsPath));
    const findings = this.doctor.diagnoses(runId) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DOCTOR_SOURCE) continue;
      const rule = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
      const fix = findings.find((finding) => finding.rule === rule)?.fix;
      if (fix) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.command = { command: APPLY_DOCTOR_FIX_COMMAND, title: fix.title, arguments: [runId, rule] };
        action.diagnostics = [diagnostic];
        action.isPreferred = actions.length === 0;
        actions.push(action);
      }
    }
    if (actions.length > 0) {
      const open = new vscode.CodeAction('Open the Run\'s Dashboard', vscode.CodeActionKind.QuickFix);
      open.command = { command: 'classifierLab.openDashboard', title: 'Open Dashboard', arguments: [runId] };
      actions.push(open);
    }
    return actions;
  }

  /** Registers the provider for run.json files. */
  static register(doctor: RunDoctor): vscode.Disposable {
    // By language, then by name: a runs folder may be anywhere (the setting), often inside a dot folder.
    return vscode.languages.registerCodeActionsProvider([{ scheme: 'file', language: 'json' }, { scheme: 'file', language: 'jsonc' }], new DoctorCodeActions(doctor), {
      providedCodeActionKinds: DoctorCodeActions.providedCodeActionKinds,
    });
  }
}
