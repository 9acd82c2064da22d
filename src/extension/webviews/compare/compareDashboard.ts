// A comparison of two or more runs in one tab: their records and per-epoch curves, sent again whenever
// one of their run.json files changes (it is rewritten after every epoch).
import type * as vscode from 'vscode';
import type { RunStore } from '../../../core/runs/runStore';
import type { CompareRun, FromCompareView, ToCompareView } from '../../../protocol/compareView';
import type { RunsFolder } from '../../runsFolder';
import { foldMetrics } from '../dashboard/foldMetrics';
import { saveExport } from '../saveExport';
import { WebviewPanel } from '../webviewPanel';
import { parseFromCompareView } from './compareMessages';

export class CompareDashboard extends WebviewPanel<ToCompareView, FromCompareView> {
  private readonly store: RunStore;
  private lastSent = '';
  private sending?: Promise<void>;
  private sendAgain = false;

  constructor(panel: vscode.WebviewPanel, readonly runIds: readonly string[], folder: RunsFolder, extensionUri: vscode.Uri, private readonly openRun: (runId: string) => void) {
    super(panel, extensionUri, parseFromCompareView);
    this.store = folder.requireStore();
    this.disposables.push(folder.onDidChangeRunFile((change) => {
      if (change.kind === 'record' && runIds.includes(change.runId) && this.isPageReady) this.refresh();
    }));
    this.load({
      script: 'dist/webview.js', style: 'media/dashboard.css', icon: 'dashboard-icon', title: panel.title, loadingText: `Loading ${panel.title}…`,
      data: { view: 'compare', 'run-ids': JSON.stringify(runIds) },
    });
  }

  protected onReady(): void {
    this.lastSent = '';
    this.refresh();
  }

  protected async onMessage(message: Exclude<FromCompareView, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'openRun':
        if (this.runIds.includes(message.runId)) this.openRun(message.runId);
        return;
      case 'export':
        return saveExport(message);
    }
  }

  /** Sends the runs again; calls during a send make one more. */
  private refresh(): void {
    if (this.sending) {
      this.sendAgain = true;
      return;
    }
    this.sending = this.send().catch(() => undefined).finally(() => {
      this.sending = undefined;
      if (this.sendAgain && !this.isDisposed) {
        this.sendAgain = false;
        this.refresh();
      }
    });
  }

  private async send(): Promise<void> {
    const runs: CompareRun[] = [];
    const missing: string[] = [];
    for (const id of this.runIds) {
      try {
        const run = await this.store.read(id);
        const folded = foldMetrics(await this.store.readMetrics(id));
        runs.push({ run, epochs: folded.epochs, ...(folded.test ? { test: folded.test } : {}) });
      } catch {
        missing.push(id);
      }
    }
    const message: ToCompareView = { type: 'snapshot', runs, missing };
    const text = JSON.stringify(message);
    if (text === this.lastSent) return;
    this.lastSent = text;
    this.panel.title = runs.length > 0 ? `Compare: ${runs.map((entry) => entry.run.name).join(', ')}` : 'Compare runs';
    this.post(message);
  }
}
