// One run's dashboard tab: the dashboard page, and the run folder followed while the page is shown: a
// snapshot when the page says `ready`, then what changed as the runs folder reports it, in file order.
import { promises as fs } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errorMessage';
import type { RunRecord } from '../../../core/runs/runRecord';
import type { FromDashboardView, ToDashboardView } from '../../../protocol/dashboardView';
import type { RunsFolder } from '../../runsFolder';
import { saveExport } from '../saveExport';
import { WebviewPanel } from '../webviewPanel';
import { parseFromDashboardView } from './dashboardMessages';
import { RunFollower } from './runFollower';

/** Folders the page may load thumbnails from: the run's dataset. */
function datasetRoots(run: RunRecord | undefined): vscode.Uri[] {
  const roots = new Set<string>();
  if (run?.dataset?.root) roots.add(run.dataset.root);
  const specPath = run?.spec?.data?.path;
  if (typeof specPath === 'string' && isAbsolute(specPath)) roots.add(resolve(specPath));
  return [...roots].map((root) => vscode.Uri.file(root));
}

export class RunDashboard extends WebviewPanel<ToDashboardView, FromDashboardView> {
  private readonly follower: RunFollower;
  /** The page's work runs one task after another, so messages leave in file order. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(panel: vscode.WebviewPanel, readonly runId: string, folder: RunsFolder, extensionUri: vscode.Uri) {
    super(panel, extensionUri, parseFromDashboardView);
    this.follower = new RunFollower(folder.requireStore(), runId, {
      send: (message) => this.post(message),
      imageUri: (path) => panel.webview.asWebviewUri(vscode.Uri.file(path)).toString(),
      onRecord: (run) => { panel.title = run.name; },
    });
    this.disposables.push(folder.onDidChangeRunFile((change) => {
      if (change.runId === runId && this.isPageReady) this.enqueue(() => this.follower.changed(change.kind));
    }));
  }

  /**
   * Takes over `panel` (new, restored after a reload, or a run.json custom editor) for run `runId` of
   * `folder`. The run is read first, so the page loads once, with its dataset folder allowed for thumbnails.
   */
  static async show(panel: vscode.WebviewPanel, runId: string, folder: RunsFolder, extensionUri: vscode.Uri): Promise<RunDashboard> {
    const dashboard = new RunDashboard(panel, runId, folder, extensionUri);
    const run = await dashboard.follower.readRecord();
    panel.title = run?.name ?? runId;
    dashboard.load({
      script: 'dist/webview.js', style: 'media/dashboard.css', icon: 'dashboard-icon', title: panel.title, loadingText: `Loading ${panel.title}…`,
      data: { view: 'run', 'run-ids': JSON.stringify([runId]) }, resourceRoots: datasetRoots(run),
    });
    return dashboard;
  }

  protected onReady(): void {
    this.follower.forget();
    this.enqueue(() => this.follower.sendSnapshot());
  }

  protected override onPageHidden(): void {
    this.follower.forget();
  }

  protected onMessage(message: Exclude<FromDashboardView, { type: 'ready' }>): void {
    this.enqueue(() => this.handle(message));
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => this.post({ type: 'runError', message: errorMessage(error) }));
  }

  private async handle(message: Exclude<FromDashboardView, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'requestConfusion':
        return this.follower.sendConfusion(message.epoch);
      case 'requestWeightStatistics':
        return this.follower.sendWeightStatistics(message.layer);
      case 'requestSampleImages':
        return this.follower.sendSampleImages(message.indices);
      case 'openSample': {
        const file = this.follower.sampleFile(message.index);
        if (file === undefined) return;
        if (!(await fs.stat(file).then((stat) => stat.isFile(), () => false))) {
          void vscode.window.showWarningMessage(`The image ${file} is no longer there.`);
          return;
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'export':
        return saveExport(message);
      case 'openRun':
        // Through the command: it says so when that run is not in this runs folder.
        await vscode.commands.executeCommand('classifierLab.openDashboard', message.runId);
        return;
      case 'setNotes':
        try {
          await this.follower.setNotes(message.notes, message.tags);
        } catch (error) {
          void vscode.window.showErrorMessage(`Could not save the notes of ${this.follower.run?.name ?? this.runId}: ${errorMessage(error)}`);
        }
        return;
    }
  }
}
