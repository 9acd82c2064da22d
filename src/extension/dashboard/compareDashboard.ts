// A comparison of two or more runs in one webview panel: their records and per-epoch curves, sent
// again (debounced) whenever one of them changes.
import * as vscode from 'vscode';
import type { RunStore } from '../../core/runs/runStore';
import type { CompareRun, ExtensionToWebview, WebviewToExtension } from '../../protocol/webview';
import { dashboardHtml, dashboardResourceRoots } from './dashboardHtml';
import { foldMetrics } from './foldMetrics';
import { parseWebviewMessage } from './parseWebviewMessage';
import { saveExport } from './saveExport';
import { watchRunFolders } from './watchRunFolder';

const REFRESH_DEBOUNCE_MS = 500;
const LIVE_POLL_MS = 2000;

export interface CompareDashboardHost {
  extensionUri: vscode.Uri;
  openRun(runId: string): void;
}

export class CompareDashboard implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private timer?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  private lastSent = '';
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runIds: readonly string[],
    private readonly store: RunStore,
    private readonly host: CompareDashboardHost,
  ) {}

  static show(panel: vscode.WebviewPanel, runIds: readonly string[], store: RunStore, host: CompareDashboardHost): CompareDashboard {
    const dashboard = new CompareDashboard(panel, runIds, store, host);
    panel.iconPath = {
      light: vscode.Uri.joinPath(host.extensionUri, 'media', 'dashboard-icon-light.svg'),
      dark: vscode.Uri.joinPath(host.extensionUri, 'media', 'dashboard-icon-dark.svg'),
    };
    panel.webview.options = { enableScripts: true, localResourceRoots: dashboardResourceRoots(host.extensionUri) };
    dashboard.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => dashboard.receive(message)),
      panel.onDidDispose(() => dashboard.dispose()),
      // A hidden panel's page is unloaded; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) dashboard.ready = false;
      }),
      watchRunFolders(store.runsDir, runIds, (change) => {
        if (change.kind === 'record' || change.kind === 'metrics') dashboard.scheduleRefresh();
      }),
    );
    panel.webview.html = dashboardHtml(panel.webview, host.extensionUri, 'compare', runIds, panel.title);
    return dashboard;
  }

  reveal(): void {
    this.panel.reveal();
  }

  private post(message: ExtensionToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(value: unknown): void {
    const message = parseWebviewMessage(value);
    if (message !== undefined) this.queue = this.queue.then(() => this.handle(message)).catch(() => undefined);
  }

  private async handle(message: WebviewToExtension): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.lastSent = '';
        await this.send();
        return;
      case 'openRun':
        if (this.runIds.includes(message.runId)) this.host.openRun(message.runId);
        return;
      case 'export': {
        const saved = await saveExport(message.format, message.fileName, message.content);
        if (saved) void vscode.window.showInformationMessage(`Exported ${vscode.workspace.asRelativePath(saved)}.`);
        return;
      }
      default:
        // The comparison has no confusion matrices, samples or notes to ask for.
        return;
    }
  }

  private scheduleRefresh(): void {
    if (!this.ready || this.disposed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.queue = this.queue.then(() => this.send()).catch(() => undefined);
    }, REFRESH_DEBOUNCE_MS);
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
    const message: ExtensionToWebview = { type: 'compareSnapshot', runs, missing };
    const text = JSON.stringify(message);
    if (text === this.lastSent) return;
    this.lastSent = text;
    this.panel.title = runs.length > 0 ? `Compare: ${runs.map((entry) => entry.run.name).join(', ')}` : 'Compare runs';
    this.post(message);
    const live = runs.some((entry) => entry.run.status === 'running' || entry.run.status === 'queued');
    if (live && !this.poll) this.poll = setInterval(() => this.scheduleRefresh(), LIVE_POLL_MS);
    if (!live && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.poll) clearInterval(this.poll);
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    this.disposables.length = 0;
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
