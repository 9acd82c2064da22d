// The dashboard tabs: one editor tab per run and one per comparison, restored after a window reload
// (by run id, re-reading the run folder), and a run's dashboard as an "Open With" editor for its run.json.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { isRunId } from '../../../core/runs/runId';
import type { DatasetFolders } from '../../datasetFolders';
import type { RunDoctor } from '../../doctor/runDoctor';
import { RunsFolder } from '../../runsFolder';
import { CompareDashboard } from '../compare/compareDashboard';
import { OpenPanels } from '../webviewPanel';
import { RunDashboard, type DashboardContext } from './runDashboard';

export const DASHBOARD_VIEW_TYPE = 'classifierLab.dashboard';
export const COMPARE_VIEW_TYPE = 'classifierLab.compare';
/** The custom editor contributed for `.classifier-lab/runs/<id>/run.json`. */
export const RUN_JSON_EDITOR_VIEW_TYPE = 'classifierLab.runJson';

/** The run ids a page keeps in its state across reloads (everything else is re-read). */
function runIdsOf(state: unknown): string[] {
  const runIds = (state as { runIds?: unknown } | null | undefined)?.runIds;
  return Array.isArray(runIds) ? runIds.filter((id): id is string => typeof id === 'string' && isRunId(id)) : [];
}

function compareKey(runIds: readonly string[]): string {
  return [...runIds].sort().join('|');
}

export class DashboardPanels implements vscode.Disposable {
  private readonly runs = new OpenPanels<RunDashboard>();
  private readonly comparisons = new OpenPanels<CompareDashboard>();
  /** Dashboards opened as the run.json custom editor: their lifetime is the editor's. */
  private readonly editors = new OpenPanels<RunDashboard>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly context: DashboardContext;

  /** `doctor` gives the runs folder's dashboards the training doctor's findings. */
  constructor(private readonly extensionUri: vscode.Uri, private readonly folder: RunsFolder, private readonly log: vscode.LogOutputChannel, datasetFolders: DatasetFolders, private readonly doctor?: RunDoctor) {
    this.context = { extensionUri, datasetFolders, log };
    this.subscriptions = [
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const [runId] = runIdsOf(state);
          if (runId === undefined || !folder.store || this.runs.has(runId)) panel.dispose();
          else this.runs.add(await RunDashboard.show(panel, runId, folder, this.context, doctor), runId);
        },
      }),
      vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const runIds = runIdsOf(state);
          if (runIds.length < 2 || !folder.store || this.comparisons.has(compareKey(runIds))) panel.dispose();
          else this.addComparison(panel, runIds);
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
          const runsDir = dirname(runDir);
          const own = runsDir === folder.dir ? undefined : new RunsFolder(() => runsDir, log);
          void own?.refresh();
          const dashboard = this.editors.add(await RunDashboard.show(panel, runId, own ?? folder, this.context, own ? undefined : doctor));
          if (own) dashboard.onDidDispose(() => own.dispose());
        },
      } satisfies vscode.CustomReadonlyEditorProvider, { supportsMultipleEditorsPerDocument: false }),
    ];
  }

  /** Shows the run's dashboard, revealing its tab when it is already open. */
  async open(runId: string): Promise<void> {
    if (this.runs.reveal(runId) || !this.requireFolder()) return;
    this.folder.requireStore().runDir(runId); // throws for anything that is not a run id
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, runId, vscode.ViewColumn.Active, { enableScripts: true });
    this.runs.add(await RunDashboard.show(panel, runId, this.folder, this.context, this.doctor), runId);
  }

  /** Shows two or more runs side by side in one tab (the same set of runs reuses its tab). */
  async compare(runIds: string[]): Promise<void> {
    const unique = [...new Set(runIds)];
    if (unique.length < 2) {
      void vscode.window.showInformationMessage('Choose at least two runs to compare.');
      return;
    }
    if (this.comparisons.reveal(compareKey(unique)) || !this.requireFolder()) return;
    for (const id of unique) this.folder.requireStore().runDir(id);
    this.addComparison(vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare runs', vscode.ViewColumn.Active, { enableScripts: true }), unique);
  }

  dispose(): void {
    this.comparisons.dispose();
    this.runs.dispose();
    this.editors.dispose();
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
  }

  private requireFolder(): boolean {
    if (this.folder.store) return true;
    void vscode.window.showWarningMessage('Open a folder first: runs are kept in the workspace\'s .classifier-lab/runs folder.');
    return false;
  }

  private addComparison(panel: vscode.WebviewPanel, runIds: string[]): void {
    this.comparisons.add(new CompareDashboard(panel, runIds, this.folder, this.extensionUri, (runId) => void this.open(runId), this.log), compareKey(runIds));
  }
}
