// One run's dashboard tab: the dashboard page, and the run folder followed while the page is shown: a
// snapshot when the page says `ready`, then what changed as the runs folder reports it, in file order.
// The page may load images only from the run's dataset folder, and only when that folder may be shown
// (datasetImages.ts): the files of a run are untrusted.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errorMessage';
import type { FromDashboardView, ToDashboardView } from '../../../protocol/dashboardView';
import type { DatasetFolders } from '../../datasetFolders';
import { APPLY_DOCTOR_FIX_COMMAND } from '../../doctor/doctorCodeActions';
import type { RunDoctor } from '../../doctor/runDoctor';
import type { RunsFolder } from '../../runsFolder';
import { liveJobWords } from '../../views/slurmRunText';
import { saveExport } from '../saveExport';
import { WebviewPanel, type PanelPage } from '../webviewPanel';
import { parseFromDashboardView } from './dashboardMessages';
import { RunFollower } from './runFollower';

/** What every run dashboard of a window shares. */
export interface DashboardContext {
  extensionUri: vscode.Uri;
  datasetFolders: DatasetFolders;
  log?: vscode.LogOutputChannel;
}

export class RunDashboard extends WebviewPanel<ToDashboardView, FromDashboardView> {
  private readonly follower: RunFollower;
  /** The page's work runs one task after another, so messages leave in file order. */
  private queue: Promise<void> = Promise.resolve();
  /** The Slurm job state the page shows ('' for none), or undefined before the page has been told. */
  private shownJobState?: string;
  /** The dataset folder the loaded page may read images from ('' for none). */
  private loadedRoot = '';

  private constructor(panel: vscode.WebviewPanel, readonly runId: string, private readonly folder: RunsFolder, private readonly context: DashboardContext, private readonly doctor?: RunDoctor) {
    super(panel, context.extensionUri, parseFromDashboardView, context.log);
    this.follower = new RunFollower(folder.requireStore(), runId, {
      send: (message) => this.post(message),
      imageUri: (path) => panel.webview.asWebviewUri(vscode.Uri.file(path)).toString(),
      imageFolders: () => context.datasetFolders.imageFolders(),
      onRecord: (run) => {
        panel.title = run.name;
        // The dataset folder became known (training started) or changed: the page needs it as a resource root.
        if (this.rootOf() !== this.loadedRoot) this.loadPage();
      },
    });
    this.disposables.push(folder.onDidChangeRunFile((change) => {
      if (change.runId === runId && this.isPageReady) this.enqueue(() => this.follower.changed(change.kind));
    }), folder.onDidChangeRuns(() => this.sendJobState()));
    if (doctor) {
      this.disposables.push(doctor.onDidChange((changed) => {
        if (changed === runId && this.isPageReady) this.enqueue(async () => this.sendDiagnoses());
      }));
    }
  }

  /** Tells the page how the run's Slurm job stands, when that changed (after the snapshot, which holds the run's record). */
  private sendJobState(): void {
    if (!this.isPageReady) return;
    const record = this.folder.record(this.runId);
    const state = record ? liveJobWords(record, this.folder.jobState(this.runId)) ?? '' : '';
    if (state === this.shownJobState) return;
    this.shownJobState = state;
    this.enqueue(async () => this.post({ type: 'jobState', ...(state ? { state } : {}) }));
  }

  /**
   * Takes over `panel` (new, restored after a reload, or a run.json custom editor) for run `runId` of
   * `folder`. The run is read first, so the page loads once, with its dataset folder allowed for
   * thumbnails when it may be shown.
   */
  static async show(panel: vscode.WebviewPanel, runId: string, folder: RunsFolder, context: DashboardContext, doctor?: RunDoctor): Promise<RunDashboard> {
    const dashboard = new RunDashboard(panel, runId, folder, context, doctor);
    const run = await dashboard.follower.readRecord();
    panel.title = run?.name ?? runId;
    dashboard.loadPage();
    return dashboard;
  }

  private rootOf(): string {
    const access = this.follower.datasetAccess;
    return access.shown ? access.root : '';
  }

  /** (Re)loads the page with the dataset folder it may show images from, if any (never `/` or a home folder). */
  private loadPage(): void {
    this.loadedRoot = this.rootOf();
    const page: PanelPage = {
      script: 'dist/webview.js', style: 'media/dashboard.css', icon: 'dashboard-icon', title: this.panel.title, loadingText: `Loading ${this.panel.title}…`,
      data: { view: 'run', 'run-ids': JSON.stringify([this.runId]) },
      resourceRoots: this.loadedRoot ? [vscode.Uri.file(this.loadedRoot)] : [],
    };
    this.load(page);
  }

  /** The user asked to see images from the run's dataset folder, outside the workspace: ask, remember, reload. */
  private async allowDatasetFolder(): Promise<void> {
    const access = await this.follower.checkAccess();
    if (access.shown) {
      if (access.root !== this.loadedRoot) this.loadPage();
      return;
    }
    if (!access.canAllow || !access.folder) {
      void vscode.window.showWarningMessage(access.reason);
      return;
    }
    const allow = 'Show Images';
    const answer = await vscode.window.showWarningMessage(
      `Show images from ${access.folder} in Classifier Lab dashboards?`,
      { modal: true, detail: `The run "${this.follower.run?.name ?? this.runId}" names this folder as its dataset. It is outside this workspace: allow it only if you know it holds that dataset. You can train on it again from New Training Run to the same effect.` },
      allow,
    );
    if (answer !== allow) return;
    if (!(await this.context.datasetFolders.choose(access.folder))) {
      void vscode.window.showWarningMessage(`Images from ${access.folder} cannot be shown.`);
      return;
    }
    this.context.log?.info(`Dashboards may show images from ${access.folder} (chosen from the dashboard of "${this.follower.run?.name ?? this.runId}").`);
    await this.follower.checkAccess();
    this.loadPage();
  }

  protected onReady(): void {
    this.follower.forget();
    this.shownJobState = undefined;
    this.enqueue(() => this.follower.sendSnapshot());
    this.sendJobState();
    this.enqueue(async () => this.sendDiagnoses());
  }

  /** The doctor's findings, once it has diagnosed the run (it is asked to do so first when they are not known yet). */
  private sendDiagnoses(): void {
    const diagnoses = this.doctor?.diagnoses(this.runId);
    if (!diagnoses) {
      this.doctor?.prioritise(this.runId);
      return;
    }
    this.post({
      type: 'diagnoses',
      findings: diagnoses.map((d) => ({
        rule: d.rule, severity: d.severity, message: d.message,
        ...(d.epoch !== undefined ? { epoch: d.epoch } : {}), ...(d.fix ? { fixTitle: d.fix.title } : {}),
      })),
    });
  }

  protected override onPageHidden(): void {
    this.follower.forget();
  }

  protected onMessage(message: Exclude<FromDashboardView, { type: 'ready' }>): Promise<void> | void {
    // A question to the user waits for their answer outside the queue, so updates keep flowing meanwhile.
    if (message.type === 'allowDatasetFolder') return this.allowDatasetFolder();
    this.enqueue(() => this.handle(message as Exclude<FromDashboardView, { type: 'ready' | 'allowDatasetFolder' }>));
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => this.post({ type: 'runError', message: errorMessage(error) }));
  }

  private async handle(message: Exclude<FromDashboardView, { type: 'ready' | 'allowDatasetFolder' }>): Promise<void> {
    switch (message.type) {
      case 'requestConfusion':
        return this.follower.sendConfusion(message.epoch);
      case 'requestWeightStatistics':
        return this.follower.sendWeightStatistics(message.layer);
      case 'requestSampleImages':
        return this.follower.sendSampleImages(message.indices);
      case 'openSample': {
        // Only an image file inside the run's dataset folder, however predictions.json names it.
        const file = await this.follower.sampleFile(message.index);
        if (file === undefined) {
          const access = this.follower.datasetAccess;
          void vscode.window.showWarningMessage(access.shown ? 'This sample is not an image file inside the run\'s dataset folder (or it is gone), so it is not opened.' : access.reason);
          return;
        }
        if (!(await fs.stat(file).then((stat) => stat.isFile(), () => false))) {
          void vscode.window.showWarningMessage(`The image ${file} is no longer there.`);
          return;
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'export':
        return saveExport(message);
      case 'applyFix':
        await vscode.commands.executeCommand(APPLY_DOCTOR_FIX_COMMAND, this.runId, message.rule);
        return;
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
