// Classify Image: image files or folders from the Explorer, the title bar of an open image, or the
// palette (an open dialog), classified in a result tab.
import * as vscode from 'vscode';
import { collectImageFiles } from '../webviews/classify/collectImageFiles';
import type { Command } from './command';

/** The resources a command invocation is about: the Explorer selection, the clicked item, or none. */
function pickedUris(uri: unknown, uris: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  return uri instanceof vscode.Uri ? [uri] : [];
}

export const classifyImageCommand: Command = {
  id: 'classifierLab.classifyImage',
  async run(lab, uri, uris) {
    let picked = pickedUris(uri, uris);
    if (picked.length === 0) {
      picked = await vscode.window.showOpenDialog({
        title: 'Classify Image', openLabel: 'Classify', canSelectMany: true, canSelectFiles: true, canSelectFolders: false,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri, filters: { Images: ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp'] },
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
    await lab.classify.open(targets, collected);
  },
};
