// Installs the native TensorFlow backend (@tensorflow/tfjs-node) into a folder of its own with npm, for
// users of the packaged extension (which cannot ship it: its install script downloads the TensorFlow C
// library for the machine it runs on). The trainer finds it there through NATIVE_BACKEND_DIR_ENV.
// It runs npm and looks for files, never loading TensorFlow, so the extension host may import it; it
// lives outside backend/, whose code loads TensorFlow and must stay out of the extension bundle.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package and version, matching the tfjs-core the engine is built on. */
export const NATIVE_PACKAGE_SPEC = '@tensorflow/tfjs-node@4.22.0';

/** Environment variable naming a folder whose node_modules may hold @tensorflow/tfjs-node. */
export const NATIVE_BACKEND_DIR_ENV = 'CLASSIFIER_LAB_NATIVE_BACKEND_DIR';

/** The install failed; `message` says why in words a user can act on, `log` holds npm's output. */
export class NativeInstallError extends Error {
  override readonly name = 'NativeInstallError';
  constructor(message: string, readonly log: string) {
    super(message);
  }
}

export interface InstallNativeBackendOptions {
  /** The folder to install into (its node_modules receives the package). */
  dir: string;
  /** The npm executable (default `npm` on the PATH). */
  npm?: string;
  /** Each line npm prints, for a log or progress. */
  onOutput?(line: string): void;
  signal?: AbortSignal;
}

/** True when `dir` holds an installed native backend package. */
export function hasNativeBackend(dir: string): boolean {
  return existsSync(join(dir, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json'));
}

/**
 * Runs `npm install` of the native backend into `dir`. Resolves when npm succeeded; rejects with a
 * NativeInstallError that says what went wrong (no npm, offline, the TensorFlow library's download
 * blocked, cancelled) otherwise.
 */
export async function installNativeBackend(options: InstallNativeBackendOptions): Promise<void> {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) {
    writeFileSync(manifest, JSON.stringify({ name: 'classifier-lab-native-backend', private: true }, null, 2) + '\n');
  }
  const npm = options.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  const args = ['install', '--no-audit', '--no-fund', '--save', NATIVE_PACKAGE_SPEC];
  const output: string[] = [];
  const code = await new Promise<number | string>((resolve) => {
    let child;
    try {
      child = spawn(npm, args, { cwd: dir, shell: process.platform === 'win32', env: { ...process.env, npm_config_yes: 'true' } });
    } catch (error) {
      resolve((error as NodeJS.ErrnoException).code ?? 'spawn failed');
      return;
    }
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (line.trim() === '') continue;
        output.push(line);
        options.onOutput?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const abort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    child.on('close', (status, signal) => {
      options.signal?.removeEventListener('abort', abort);
      resolve(status ?? signal ?? 'killed');
    });
  });
  if (code === 0) return;
  const log = output.join('\n');
  throw new NativeInstallError(explainFailure(code, log, options.signal?.aborted === true), log);
}

/** npm's exit (a code or an error name) and output -> one sentence a user can act on. */
export function explainFailure(code: number | string, log: string, cancelled: boolean): string {
  const keep = ' Classifier Lab keeps training on the WebAssembly backend.';
  if (cancelled) return 'The native backend installation was cancelled.' + keep;
  if (code === 'ENOENT') {
    return 'npm was not found: the native backend is installed with npm, which comes with Node.js (https://nodejs.org).' + keep;
  }
  if (/storage\.googleapis\.com|libtensorflow|node-pre-gyp|Failed to download|download failed/i.test(log)) {
    return 'npm installed @tensorflow/tfjs-node, but its install script could not download the TensorFlow C library '
      + '(from storage.googleapis.com): this machine is offline or a firewall blocks that host.' + keep;
  }
  if (/ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|network|getaddrinfo/i.test(log)) {
    return 'npm could not reach the package registry: this machine is offline or a proxy/firewall blocks it '
      + '(npm\'s proxy settings apply).' + keep;
  }
  if (/EACCES|EPERM/.test(log)) return 'npm could not write the native backend\'s folder (permission denied).' + keep;
  const last = log.split('\n').filter((line) => /err/i.test(line)).slice(-1)[0] ?? `npm exited with ${String(code)}`;
  return `The native backend did not install: ${last.trim()}.` + keep;
}
