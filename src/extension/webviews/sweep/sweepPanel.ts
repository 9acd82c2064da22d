// One sweep's tab: the sweep page, sent the sweep as it stands whenever its sweep.json (the sweeps folder)
// or one of its trials' runs (the runs folder) changes; the page's buttons become the sweep commands.
import * as vscode from 'vscode';
import type { FromSweepView, ToSweepView } from '../../../protocol/sweepView';
import type { RunsFolder } from '../../runsFolder';
import type { SweepRunner } from '../../sweeps/sweepRunner';
import type { SweepsFolder } from '../../sweeps/sweepsFolder';
import { saveExport } from '../saveExport';
import { WebviewPanel } from '../webviewPanel';
import { parseFromSweepView } from './sweepMessages';
import { sweepView } from './sweepViewData';

export interface SweepPanelServices {
  sweeps: SweepsFolder;
  folder: RunsFolder;
  runner: SweepRunner;
  openRun(runId: string): unknown;
  compare(runIds: string[]): unknown;
}

export class SweepPanel extends WebviewPanel<ToSweepView, FromSweepView> {
  private lastSent = '';

  constructor(panel: vscode.WebviewPanel, readonly sweepId: string, extensionUri: vscode.Uri, private readonly services: SweepPanelServices) {
    super(panel, extensionUri, parseFromSweepView);
    // Changes come in bursts (a trial's run and sweep.json): one send for them.
    const changed = () => this.sendSoon(() => this.send(), 200);
    this.disposables.push(
      services.sweeps.onDidChangeSweeps(changed),
      services.folder.onDidChangeRuns(changed),
      services.runner.onDidChange(changed),
    );
    panel.title = `Sweep: ${services.sweeps.sweep(sweepId)?.name ?? sweepId}`;
    this.load({
      script: 'dist/sweepWebview.js', style: 'media/sweep.css', icon: 'dashboard-icon', title: panel.title, loadingText: `Loading ${panel.title}…`,
      data: { 'sweep-id': sweepId },
    });
  }

  protected onReady(): void {
    this.lastSent = '';
    this.send();
  }

  protected async onMessage(message: Exclude<FromSweepView, { type: 'ready' }>): Promise<void> {
    const trialRunIds = new Set(this.services.sweeps.sweep(this.sweepId)?.trials.flatMap((trial) => (trial.runId ? [trial.runId] : [])) ?? []);
    switch (message.type) {
      case 'openRun':
        if (trialRunIds.has(message.runId)) this.services.openRun(message.runId);
        return;
      case 'compareRuns': {
        const runIds = message.runIds.filter((id) => trialRunIds.has(id));
        if (runIds.length >= 2) this.services.compare(runIds);
        return;
      }
      case 'rerunBest':
        await vscode.commands.executeCommand('classifierLab.rerunBestTrial', this.sweepId, message.epochs);
        return;
      case 'stopSweep':
        await vscode.commands.executeCommand('classifierLab.stopSweep', this.sweepId);
        return;
      case 'resumeSweep':
        await vscode.commands.executeCommand('classifierLab.resumeSweep', this.sweepId);
        return;
      case 'export':
        return saveExport(message);
    }
  }

  private send(): void {
    if (this.isDisposed) return;
    const record = this.services.sweeps.sweep(this.sweepId);
    const message: ToSweepView = record
      ? { type: 'snapshot', sweep: sweepView(record, (runId) => this.services.folder.record(runId), this.services.runner.isRunning(this.sweepId)) }
      : { type: 'sweepError', message: this.services.sweeps.isLoaded ? `The sweep ${this.sweepId} is not in ${this.services.sweeps.dir ?? 'the sweeps folder'} (deleted, or its sweep.json cannot be read).` : 'Reading the sweeps folder…' };
    const text = JSON.stringify(message);
    if (text === this.lastSent) return;
    this.lastSent = text;
    if (record) this.panel.title = `Sweep: ${record.name}`;
    this.post(message);
  }
}
