// A comparison of two or more runs in one tab: their records and per-epoch curves, sent again whenever
// one of their run.json files changes (it is rewritten after every epoch).
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errorMessage';
import type { RunStore } from '../../../core/runs/runStore';
import type { CompareRun, FromCompareView, ToCompareView } from '../../../protocol/compareView';
import type { RunsFolder } from '../../runsFolder';
import { MetricsFold } from '../dashboard/foldMetrics';
import { saveExport } from '../saveExport';
import { parseCommonViewMessage } from '../viewMessages';
import { WebviewPanel } from '../webviewPanel';

export class CompareDashboard extends WebviewPanel<ToCompareView, FromCompareView> {
  private readonly store: RunStore;
  private lastSent = '';
  private sending: Promise<void> = Promise.resolve();

  constructor(panel: vscode.WebviewPanel, readonly runIds: readonly string[], folder: RunsFolder, extensionUri: vscode.Uri, private readonly openRun: (runId: string) => void, private readonly log?: vscode.LogOutputChannel) {
    // A comparison page sends only what every page may send.
    super(panel, extensionUri, parseCommonViewMessage, log);
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

  /** Sends the runs again (one send after another, so the page gets them in order); a failure is told, not dropped. */
  private refresh(): void {
    this.sending = this.sending.then(() => this.send()).catch((error: unknown) => {
      if (this.isDisposed) return;
      const message = `Could not update the comparison of ${this.runIds.join(', ')}: ${errorMessage(error)}`;
      this.log?.error(message);
      void vscode.window.showErrorMessage(message);
    });
  }

  private async send(): Promise<void> {
    const runs: CompareRun[] = [];
    const missing: string[] = [];
    for (const id of this.runIds) {
      try {
        const run = await this.store.read(id);
        // Epochs only: a long run's batch lines are passed over unparsed, a chunk at a time.
        const folded = new MetricsFold();
        await this.store.streamMetricsFrom(id, 0, (event) => folded.add(event), { skipBatches: true });
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
