// The dataset folders outside the workspace whose images the user chose to see in dashboards: a dataset
// picked in New Training Run, or a folder confirmed from a dashboard. Kept in the user's global state
// (never in a workspace's files or settings, which a workspace could write), most recent first.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { ImageFolders } from './webviews/dashboard/datasetImages';
import { isTooBroad } from './webviews/dashboard/datasetImages';

const STATE_KEY = 'classifierLab.datasetFolders';
const MAX_FOLDERS = 100;

export class DatasetFolders {
  constructor(private readonly globalState: vscode.Memento) {}

  /** Real paths of the chosen folders, most recent first. */
  chosen(): string[] {
    const stored = this.globalState.get<unknown>(STATE_KEY);
    return Array.isArray(stored) ? stored.filter((folder): folder is string => typeof folder === 'string' && isAbsolute(folder)) : [];
  }

  /** The folders a dashboard may show images from now: the workspace's and the chosen ones. */
  imageFolders(): ImageFolders {
    const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
    return { workspaceFolders, chosenFolders: this.chosen(), home: homedir() };
  }

  /**
   * Remembers that the user chose `path` (a dataset folder, or the folder of a dataset file). The file
   * system root and home folders are never remembered: false for them, and for a path that is not there.
   */
  async choose(path: string): Promise<boolean> {
    if (!isAbsolute(path)) return false;
    const real = await fs.realpath(path).catch(() => undefined);
    if (real === undefined) return false;
    const folder = (await fs.stat(real)).isDirectory() ? real : dirname(real);
    if (isTooBroad(folder, homedir())) return false;
    await this.globalState.update(STATE_KEY, [folder, ...this.chosen().filter((known) => known !== folder)].slice(0, MAX_FOLDERS));
    return true;
  }
}
