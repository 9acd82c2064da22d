// The status-bar item for the run training in this window: name, epoch, progress and accuracy; a click opens its dashboard.
import * as vscode from 'vscode';
import { progressText } from './runProgress';
import type { TrainingController } from './trainingController';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly training: TrainingController) {
    this.item = vscode.window.createStatusBarItem('classifierLab.training', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Classifier Lab Training';
    this.subscription = training.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const active = this.training.latestActive();
    if (!active) {
      this.item.hide();
      return;
    }
    const waiting = this.training.runs().filter((run) => run.phase === 'queued').length;
    const status = active.progress ? progressText(active.progress) : 'starting…';
    this.item.text = `$(loading~spin) ${active.name}: ${status}${waiting > 0 ? ` (+${waiting} queued)` : ''}`;
    this.item.tooltip = active.runId ? `Training ${active.name}. Click to open its dashboard.` : `Starting ${active.name}…`;
    this.item.command = active.runId
      ? { command: 'classifierLab.openDashboard', title: 'Open Dashboard', arguments: [active.runId] }
      : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
