// The runs table tab: every run of the runs folder as a row, sent anew (coalesced) whenever the folder
// changes; the page's column layout is kept per workspace; rows open dashboards or a comparison.
import * as vscode from 'vscode';
import type { FromRunsTableView, RunsTableLayout, ToRunsTableView } from '../../../protocol/runsTableView';
import type { RunsFolder } from '../../runsFolder';
import { saveExport } from '../saveExport';
import { WebviewPanel } from '../webviewPanel';
import { parseFromRunsTableView, parseRunsTableLayout } from './runsTableMessages';
import { defaultRunsTableLayout, runsTableData } from './runsTableData';

export const RUNS_TABLE_VIEW_TYPE = 'classifierLab.runsTable';
/** Where the layout is kept (workspace state). */
export const RUNS_TABLE_LAYOUT_KEY = 'classifierLab.runsTable.layout';

export interface RunsTableServices {
  folder: RunsFolder;
  /** Workspace state, for the layout. */
  state: vscode.Memento;
  openRun(runId: string): unknown;
  compare(runIds: string[]): unknown;
}

export class RunsTablePanel extends WebviewPanel<ToRunsTableView, FromRunsTableView> {
  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly services: RunsTableServices) {
    super(panel, extensionUri, parseFromRunsTableView);
    // The folder changes in bursts (a training run rewrites run.json every epoch): one send for them.
    this.disposables.push(services.folder.onDidChangeRuns(() => this.sendSoon(() => this.send(), 300)));
    panel.title = 'Runs Table';
    this.load({ script: 'dist/runsTableWebview.js', style: 'media/runsTable.css', icon: 'dashboard-icon', title: panel.title, loadingText: 'Loading the runs table…', data: { view: 'runs-table' } });
  }

  protected async onReady(): Promise<void> {
    if (!this.services.folder.isLoaded) await this.services.folder.refresh();
    this.send();
  }

  protected async onMessage(message: Exclude<FromRunsTableView, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'openRun':
        if (this.services.folder.record(message.runId)) this.services.openRun(message.runId);
        return;
      case 'compareRuns': {
        const runIds = message.runIds.filter((id) => this.services.folder.record(id) !== undefined);
        if (runIds.length >= 2) this.services.compare(runIds);
        return;
      }
      case 'saveLayout':
        await this.services.state.update(RUNS_TABLE_LAYOUT_KEY, message.layout);
        return;
      case 'export':
        return saveExport(message);
    }
  }

  private send(): void {
    if (this.isDisposed) return;
    const { columns, rows } = runsTableData(this.services.folder.runs);
    const layout: RunsTableLayout = parseRunsTableLayout(this.services.state.get(RUNS_TABLE_LAYOUT_KEY)) ?? defaultRunsTableLayout(columns);
    this.post({ type: 'snapshot', columns, rows, layout });
  }
}

/** The one runs table tab of the window, restored after a reload. */
export class RunsTablePanels implements vscode.Disposable {
  private panel?: RunsTablePanel;
  private readonly serializer: vscode.Disposable;

  constructor(private readonly extensionUri: vscode.Uri, private readonly services: RunsTableServices) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(RUNS_TABLE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        if (this.panel) panel.dispose();
        else this.adopt(new RunsTablePanel(panel, extensionUri, services));
      },
    });
  }

  /** Shows the runs table, revealing it when it is open already. */
  open(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(RUNS_TABLE_VIEW_TYPE, 'Runs Table', vscode.ViewColumn.Active, { enableScripts: true });
    this.adopt(new RunsTablePanel(panel, this.extensionUri, this.services));
  }

  private adopt(panel: RunsTablePanel): void {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  dispose(): void {
    this.panel?.dispose();
    this.serializer.dispose();
  }
}
