// Install Native Backend: npm-installs TensorFlow's native library (@tensorflow/tfjs-node) into the
// extension's global storage, where trainer and inference processes find it (backend setting `auto`
// or `native`). A progress notification follows npm; its output goes to the log.
import * as vscode from 'vscode';
import { hasNativeBackend, installNativeBackend, NativeInstallError, NATIVE_PACKAGE_SPEC } from '../../core/nativeBackendInstall';
import { nativeBackendDir } from '../nativeBackend';
import { readSettings } from '../settings';
import type { Command } from './command';

export const installNativeBackendCommand: Command = {
  id: 'classifierLab.installNativeBackend',
  async run(lab) {
    const dir = nativeBackendDir(lab.context);
    if (hasNativeBackend(dir)) {
      const answer = await vscode.window.showInformationMessage(
        'The native TensorFlow backend is already installed. Install it again?', { modal: true, detail: dir }, 'Reinstall');
      if (answer !== 'Reinstall') return;
    }
    lab.log.info(`Installing ${NATIVE_PACKAGE_SPEC} into ${dir} with npm...`);
    try {
      await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification, title: 'Installing the native TensorFlow backend', cancellable: true,
      }, async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        progress.report({ message: `npm install ${NATIVE_PACKAGE_SPEC} (it downloads the TensorFlow C library)` });
        await installNativeBackend({
          dir, signal: controller.signal,
          onOutput: (line) => {
            lab.log.info(`[npm] ${line}`);
            progress.report({ message: line.length > 90 ? `${line.slice(0, 87)}...` : line });
          },
        });
      });
    } catch (error) {
      if (error instanceof NativeInstallError) {
        lab.errors.show(error.message, undefined, ['showLog']);
        return;
      }
      throw error;
    }
    lab.log.info(`Installed ${NATIVE_PACKAGE_SPEC} into ${dir}.`);
    const backend = readSettings().backend;
    const detail = backend === 'wasm'
      ? 'Your classifierLab.backend setting is "wasm": set it to "auto" to train with it.'
      : 'New runs train with it (each run records its backend); Classify Image uses it after its process restarts.';
    void vscode.window.showInformationMessage(`The native TensorFlow backend is installed. ${detail}`, ...(backend === 'wasm' ? ['Open Settings'] : []))
      .then((picked) => { if (picked) void vscode.commands.executeCommand('workbench.action.openSettings', 'classifierLab.backend'); });
  },
};
