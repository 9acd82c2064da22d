// The dashboard tabs: one editor tab per run and one per comparison, restored after a window reload
// (by run id, re-reading the run folder), and a run's dashboard as an "Open With" editor for its run.json.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { isRunId } from '../../core/runs/runId';
import { RunStore } from '../../core/runs/runStore';
import { CompareDashboard } from './compareDashboard';
import { RunDashboard } from './runDashboard';

export const DASHBOARD_VIEW_TYPE = 'classifierLab.dashboard';
export const COMPARE_VIEW_TYPE = 'classifierLab.compare';
/** The custom editor contributed for `.classifier-lab/runs/<id>/run.json`. */
export const RUN_JSON_EDITOR_VIEW_TYPE = 'classifierLab.runJson';

/** What a webview remembers across reloads (its setState): only run ids; everything else is re-read. */
interface PanelState {
  runIds: string[];
}

function runIdsOf(state: unknown): string[] {
  const runIds = (state as Partial<PanelState> | null | undefined)?.runIds;
  return Array.isArray(runIds) ? runIds.filter((id): id is string => typeof id === 'string' && isRunId(id)) : [];
}

function compareKey(runIds: readonly string[]): string {
  return [...runIds].sort().join('|');
}

export class DashboardPanels implements vscode.Disposable {
  private readonly runs = new Map<string, RunDashboard>();
  private readonly comparisons = new Map<string, CompareDashboard>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly host: { extensionUri: vscode.Uri; openRun: (runId: string) => void };

  /** Dashboards opened as the run.json custom editor: their lifetime is the editor's. */
  private readonly editors = new Set<RunDashboard>();

  constructor(context: vscode.ExtensionContext, private readonly runsDir: () => string | undefined) {
    this.host = { extensionUri: context.extensionUri, openRun: (runId) => void this.open(runId) };
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const [runId] = runIdsOf(state);
          const store = this.store();
          if (runId === undefined || store === undefined || this.runs.has(runId)) {
            panel.dispose();
            return;
          }
          await this.adoptRun(panel, runId, store);
        },
      }),
      vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const runIds = runIdsOf(state);
          const store = this.store();
          if (runIds.length < 2 || store === undefined || this.comparisons.has(compareKey(runIds))) {
            panel.dispose();
            return;
          }
          this.adoptComparison(panel, runIds, store);
        },
      }),
      vscode.window.registerCustomEditorProvider(RUN_JSON_EDITOR_VIEW_TYPE, {
        openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
        resolveCustomEditor: async (document, panel) => {
          // <runsDir>/<runId>/run.json: any runs folder works, not only the configured one.
          const runDir = dirname(document.uri.fsPath);
          const runId = basename(runDir);
          if (!isRunId(runId)) {
            panel.webview.html = '<!DOCTYPE html><html><body><p>This run.json is not inside a run folder.</p></body></html>';
            return;
          }
          // Not in `runs`: the run may live in another runs folder than the configured one.
          const dashboard = await RunDashboard.show(panel, runId, new RunStore(dirname(runDir)), this.host);
          this.editors.add(dashboard);
          dashboard.onDidDispose(() => this.editors.delete(dashboard));
        },
      } satisfies vscode.CustomReadonlyEditorProvider, { supportsMultipleEditorsPerDocument: false }),
    );
  }

  /** Shows the run's dashboard, revealing its tab when it is already open. */
  async open(runId: string): Promise<void> {
    const existing = this.runs.get(runId);
    if (existing) {
      existing.reveal();
      return;
    }
    const store = this.requireStore();
    if (!store) return;
    store.runDir(runId); // throws for anything that is not a run id
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, runId, vscode.ViewColumn.Active, { enableScripts: true });
    await this.adoptRun(panel, runId, store);
  }

  /** Shows two or more runs side by side in one tab (the same set of runs reuses its tab). */
  async compare(runIds: string[]): Promise<void> {
    const unique = [...new Set(runIds)];
    if (unique.length < 2) {
      void vscode.window.showInformationMessage('Choose at least two runs to compare.');
      return;
    }
    const existing = this.comparisons.get(compareKey(unique));
    if (existing) {
      existing.reveal();
      return;
    }
    const store = this.requireStore();
    if (!store) return;
    for (const id of unique) store.runDir(id);
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare runs', vscode.ViewColumn.Active, { enableScripts: true });
    this.adoptComparison(panel, unique, store);
  }

  private store(): RunStore | undefined {
    const dir = this.runsDir();
    return dir === undefined ? undefined : new RunStore(dir);
  }

  private requireStore(): RunStore | undefined {
    const store = this.store();
    if (!store) void vscode.window.showWarningMessage('Open a folder first: runs are kept in the workspace\'s .classifier-lab/runs folder.');
    return store;
  }

  private async adoptRun(panel: vscode.WebviewPanel, runId: string, store: RunStore): Promise<void> {
    const dashboard = await RunDashboard.show(panel, runId, store, this.host);
    this.runs.set(runId, dashboard);
    dashboard.onDidDispose(() => {
      if (this.runs.get(runId) === dashboard) this.runs.delete(runId);
    });
  }

  private adoptComparison(panel: vscode.WebviewPanel, runIds: string[], store: RunStore): void {
    const key = compareKey(runIds);
    const dashboard = CompareDashboard.show(panel, runIds, store, this.host);
    this.comparisons.set(key, dashboard);
    dashboard.onDidDispose(() => {
      if (this.comparisons.get(key) === dashboard) this.comparisons.delete(key);
    });
  }

  dispose(): void {
    for (const dashboard of [...this.comparisons.values()].reverse()) dashboard.dispose();
    for (const dashboard of [...this.runs.values()].reverse()) dashboard.dispose();
    for (const dashboard of [...this.editors].reverse()) dashboard.dispose();
    this.comparisons.clear();
    this.runs.clear();
    this.editors.clear();
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
    this.subscriptions.length = 0;
  }
}
