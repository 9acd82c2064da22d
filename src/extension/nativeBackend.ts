// Where this window's native TensorFlow backend lives (installed by "Install Native Backend" into the
// extension's global storage, shared by every window) and the environment that points trainer and
// inference processes at it and at the decoded-dataset cache (also in global storage, never in a workspace).
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { hasNativeBackend, NATIVE_BACKEND_DIR_ENV } from '../core/nativeBackendInstall';
import { DECODED_CACHE_ENV } from '../core/data/decodedCache';

/** The decoded-dataset cache of the extension's processes. */
export function decodedCacheDir(context: vscode.ExtensionContext): string {
  return join(context.globalStorageUri.fsPath, 'decoded-images');
}

export function nativeBackendDir(context: vscode.ExtensionContext): string {
  return join(context.globalStorageUri.fsPath, 'native-backend');
}

/**
 * The environment for child processes: the extension host's, plus the native backend's folder once
 * installed, plus the decoded-dataset cache folder (unless the environment already names one).
 */
export function processEnvironment(context: vscode.ExtensionContext): NodeJS.ProcessEnv {
  const dir = nativeBackendDir(context);
  const env: NodeJS.ProcessEnv = { ...process.env, [DECODED_CACHE_ENV]: process.env[DECODED_CACHE_ENV] ?? decodedCacheDir(context) };
  return hasNativeBackend(dir) ? { ...env, [NATIVE_BACKEND_DIR_ENV]: dir } : env;
}
