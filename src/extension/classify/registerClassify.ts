// The "Classify Image" command: from the explorer (files, several files, folders), the title bar of
// an open image, or the palette. Picks the model (remembered per workspace), then opens a result tab.
import * as vscode from 'vscode';
import { ClassifyPanel, CLASSIFY_VIEW_TYPE, isClassifyPanelState, type ClassifyPanelDeps } from './classifyPanel';
import { defaultClassifierRun, describeClassifierRun, listClassifierRuns, type ClassifierRun } from './classifierRuns';
import { collectImageFiles } from './collectImageFiles';
import { InferenceHost } from './inferenceHost';

export const CLASSIFY_IMAGE_COMMAND = 'classifierLab.classifyImage';
/** workspaceState key: the run id last chosen to classify with. */
export const CLASSIFY_RUN_STATE_KEY = 'classifierLab.classify.runId';

export interface ClassifyDeps {
  runsDir: () => string | undefined;
  openDashboard?: (runId: string) => void;
}

/** The images a command invocation is about: the explorer selection, the clicked item, or none. */
function pickedUris(uri: unknown, uris: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  return uri instanceof vscode.Uri ? [uri] : [];
}

export function registerClassify(context: vscode.ExtensionContext, deps: ClassifyDeps): vscode.Disposable {
  const log = vscode.window.createOutputChannel('Classifier Lab: Classify', { log: true });
  const host = new InferenceHost({
    script: context.asAbsolutePath('dist/inference.js'),
    cwd: context.extensionPath,
    onLog: (line) => log.info(line),
  });
  const panels = new Set<ClassifyPanel>();

  const runsOrExplain = async (): Promise<ClassifierRun[] | undefined> => {
    const runsDir = deps.runsDir();
    if (runsDir === undefined) {
      void vscode.window.showErrorMessage('Open a folder first: Classifier Lab keeps its runs, and their models, in the workspace.');
      return undefined;
    }
    const runs = await listClassifierRuns(runsDir);
    if (runs.length === 0) {
      if (!vscode.workspace.isTrusted) {
        // Restricted Mode never trains, so there is nothing to offer but the way out.
        void vscode.window.showWarningMessage(`No trained model yet in ${runsDir}. Classifier Lab does not train in Restricted Mode: trust this workspace to train a run, then classify images with it.`);
        return undefined;
      }
      const train = 'New Run…';
      void vscode.window.showWarningMessage(`No trained model yet in ${runsDir}: train a run first, then classify images with it.`, train)
        .then((picked) => picked === train && vscode.commands.executeCommand('classifierLab.newRun'));
      return undefined;
    }
    return runs;
  };

  const chooseRun = async (currentRunDir: string): Promise<ClassifierRun | undefined> => {
    const runs = await runsOrExplain();
    if (!runs) return undefined;
    const items = runs.map((run, k) => {
      const { label, description, detail } = describeClassifierRun(run);
      const marks = [run.runDir === currentRunDir ? 'current' : '', k === 0 ? 'best' : ''].filter(Boolean).join(', ');
      return { label, description: marks ? `${description} · ${marks}` : description, detail, run };
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Classify With Which Model?',
      placeHolder: 'Runs with a trained model, best first',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return undefined;
    await context.workspaceState.update(CLASSIFY_RUN_STATE_KEY, picked.run.record.id);
    return picked.run;
  };

  const panelDeps: ClassifyPanelDeps = { extensionUri: context.extensionUri, host, openDashboard: deps.openDashboard, chooseRun };
  const track = (panel: ClassifyPanel) => {
    panels.add(panel);
    panel.onDidDispose(() => panels.delete(panel));
  };

  const classify = async (uri?: unknown, uris?: unknown): Promise<void> => {
    let picked = pickedUris(uri, uris);
    if (picked.length === 0) {
      picked = await vscode.window.showOpenDialog({
        title: 'Classify Image',
        openLabel: 'Classify',
        canSelectMany: true,
        canSelectFiles: true,
        canSelectFolders: false,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        filters: { Images: ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp'] },
      }) ?? [];
      if (picked.length === 0) return;
    }
    // The extension runs where the workspace's files are (extensionKind workspace): local files, or a
    // remote workspace's files as its extension host sees them.
    const targets = picked.filter((u) => u.scheme === 'file' || u.scheme === 'vscode-remote').map((u) => u.fsPath);
    if (targets.length === 0) {
      void vscode.window.showErrorMessage(`Classify Image reads image files from disk; ${picked[0].toString(true)} is not one.`);
      return;
    }
    const collected = await collectImageFiles(targets);
    if (collected.files.length === 0) {
      const what = collected.notImages.length > 0 ? `${collected.notImages.map((p) => vscode.workspace.asRelativePath(p)).join(', ')} ${collected.notImages.length === 1 ? 'is' : 'are'} not an image` : 'No images there';
      void vscode.window.showErrorMessage(`${what}: Classify Image reads PNG, JPEG, GIF, BMP and WebP files.`);
      return;
    }
    const runs = await runsOrExplain();
    if (!runs) return;
    const run = defaultClassifierRun(runs, context.workspaceState.get<string>(CLASSIFY_RUN_STATE_KEY));
    if (!run) return;
    track(ClassifyPanel.create(panelDeps, targets, collected, run));
  };

  const restore = async (panel: vscode.WebviewPanel, state: unknown): Promise<void> => {
    if (!isClassifyPanelState(state)) {
      panel.dispose();
      return;
    }
    const runsDir = deps.runsDir();
    const runs = runsDir === undefined ? [] : await listClassifierRuns(runsDir);
    const run = runs.find((r) => r.runDir === state.runDir) ?? defaultClassifierRun(runs, context.workspaceState.get<string>(CLASSIFY_RUN_STATE_KEY));
    const collected = await collectImageFiles(state.targets);
    if (!run || collected.files.length === 0) {
      panel.dispose();
      return;
    }
    track(ClassifyPanel.adopt(panel, panelDeps, state.targets, collected, run));
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(CLASSIFY_IMAGE_COMMAND, (uri?: unknown, uris?: unknown) =>
      classify(uri, uris).catch((error: Error) => {
        log.error(error.stack ?? error.message);
        void vscode.window.showErrorMessage(`Classify Image failed: ${error.message}`);
      })),
    vscode.window.registerWebviewPanelSerializer(CLASSIFY_VIEW_TYPE, { deserializeWebviewPanel: restore }),
    // Panels before the process they talk to; the log last.
    { dispose: () => { for (const panel of [...panels]) panel.dispose(); } },
    host,
    log,
  );
}
