// Clear Decoded Image Cache: removes the decoded, resized pixels kept between runs (in the extension's
// global storage); the next run on each folder decodes its images again.
import * as vscode from 'vscode';
import { clearDecodedCache } from '../../core/data/decodedCache';
import { decodedCacheDir } from '../nativeBackend';
import type { Command } from './command';

export const clearDecodedCacheCommand: Command = {
  id: 'classifierLab.clearDecodedCache',
  async run(lab) {
    const dir = decodedCacheDir(lab.context);
    const freed = await clearDecodedCache(dir);
    lab.log.info(`Cleared the decoded image cache in ${dir} (${(freed / 1024 ** 2).toFixed(1)} MB).`);
    void vscode.window.showInformationMessage(`Cleared the decoded image cache (${(freed / 1024 ** 2).toFixed(1)} MB freed).`);
  },
};
