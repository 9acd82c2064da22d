// Where this window's native TensorFlow backend lives (installed by "Install Native Backend" into the
// extension's global storage, shared by every window) and the environment that points trainer and
// inference processes at it.
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { hasNativeBackend, NATIVE_BACKEND_DIR_ENV } from '../core/nativeBackendInstall';

export function nativeBackendDir(context: vscode.ExtensionContext): string {
  return join(context.globalStorageUri.fsPath, 'native-backend');
}

/** The environment for child processes: the extension host's, plus the native backend's folder once installed. */
export function processEnvironment(context: vscode.ExtensionContext): NodeJS.ProcessEnv {
  const dir = nativeBackendDir(context);
  return hasNativeBackend(dir) ? { ...process.env, [NATIVE_BACKEND_DIR_ENV]: dir } : { ...process.env };
}
