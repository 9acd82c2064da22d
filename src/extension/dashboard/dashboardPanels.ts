// The dashboard tabs: one editor tab per run and one per comparison, restored after a window reload.
import * as vscode from 'vscode';
import { RunStore } from '../../core/runs/runStore';

export const DASHBOARD_VIEW_TYPE = 'classifierLab.dashboard';
export const COMPARE_VIEW_TYPE = 'classifierLab.compare';

/** What a restored panel remembers (webview state): only run ids; everything else is re-read from the run folder. */
interface PanelState {
  runIds: string[];
}

function isPanelState(value: unknown): value is PanelState {
  return typeof value === 'object' && value !== null && Array.isArray((value as PanelState).runIds)
    && (value as PanelState).runIds.every((id) => typeof id === 'string');
}

export class DashboardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly runsDir: () => string | undefined) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const runId = isPanelState(state) ? state.runIds[0] : undefined;
          if (runId === undefined) { panel.dispose(); return; }
          await this.show(panel, [runId]);
        },
      }),
      vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          if (!isPanelState(state) || state.runIds.length === 0) { panel.dispose(); return; }
          await this.show(panel, state.runIds);
        },
      }),
    );
  }

  /** Shows the run's dashboard, reusing its tab when it is already open. */
  async open(runId: string): Promise<void> {
    const key = `run:${runId}`;
    const existing = this.panels.get(key);
    if (existing) { existing.reveal(); return; }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, runId, vscode.ViewColumn.Active, { enableScripts: true });
    await this.show(panel, [runId]);
  }

  /** Shows a comparison of two or more runs in one tab. */
  async compare(runIds: string[]): Promise<void> {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, `Compare ${runIds.length} runs`, vscode.ViewColumn.Active, { enableScripts: true });
    await this.show(panel, runIds);
  }

  private async show(panel: vscode.WebviewPanel, runIds: string[]): Promise<void> {
    const key = panel.viewType === DASHBOARD_VIEW_TYPE ? `run:${runIds[0]}` : `compare:${runIds.join(',')}`;
    this.panels.set(key, panel);
    panel.onDidDispose(() => this.panels.delete(key));
    const dir = this.runsDir();
    const names: string[] = [];
    if (dir !== undefined) {
      const store = new RunStore(dir);
      for (const id of runIds) names.push(await store.read(id).then((run) => run.name, () => id));
    }
    panel.title = names.join(' vs ') || runIds.join(' vs ');
    panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none';"></head><body>${names.map((n) => n.replace(/[<>&"]/g, '')).join(', ')}</body></html>`;
    void this.context;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()].reverse()) panel.dispose();
    this.panels.clear();
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
  }
}
