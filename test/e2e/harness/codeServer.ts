// Starts code-server (VS Code's workbench served over HTTP, with a real Node extension host) on a
// free loopback port, isolated from the user's own editor state: its own user-data, extensions,
// TMPDIR and XDG folders under `stateDir`, and user settings that keep the welcome page,
// walkthroughs, telemetry and the workspace-trust prompt out of the way of tests.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerEntry } from './e2ePaths';
import { HarnessError } from './harnessError';
import { stopProcessGroup, trackProcessGroup } from './processGroups';

export interface CodeServerOptions {
  /** Folder for this server's profile; created if missing. */
  stateDir: string;
  /** Defaults to a free port chosen by the OS. */
  port?: number;
  /** code-server's own output goes here (appended). */
  logFile?: string;
  /** How long to wait for /healthz. */
  startTimeoutMs?: number;
  /**
   * Extensions folder; default `extensions` under stateDir. An extension installed from a .vsix
   * finds its node_modules by walking up from its folder, so for a faithful install keep this
   * outside the repository (else it would quietly load the repository's node_modules).
   */
  extensionsDir?: string;
  /** .vsix files to install into the extensions folder before the server starts. */
  installExtensions?: readonly string[];
  /** User settings over (and winning against) testUserSettings. */
  userSettings?: Readonly<Record<string, unknown>>;
  /**
   * Leave workspace trust on (default false: the server starts with --disable-workspace-trust, so
   * every folder is trusted). With it on, the user settings decide, e.g. restrictedModeUserSettings.
   */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  /** `127.0.0.1:PORT`: the authority in `vscode-remote://` URIs. */
  readonly authority: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Its --user-data-dir (settings, and logs/ with the extension host's and the extensions' logs). */
  readonly userDataDir: string;
  stop(): Promise<void>;
}

export const testUserSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'workbench.enableExperiments': false,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Workspace trust on, without the startup prompt (a modal dialog tests cannot dismiss reliably) and
 * without asking about files from outside the workspace: a folder nobody trusted opens in Restricted Mode.
 */
export const restrictedModeUserSettings: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(origin: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) throw new HarnessError(`code-server exited before it was ready (${exit}).`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new HarnessError(`code-server did not answer ${origin}/healthz within ${timeoutMs / 1000} s.`);
}

/** `code-server --install-extension` for each .vsix (offline: a local file needs no marketplace). */
function installExtensions(vsixFiles: readonly string[], extensionsDir: string, userDataDir: string, env: NodeJS.ProcessEnv): void {
  for (const vsix of vsixFiles) {
    if (!existsSync(vsix)) throw new HarnessError(`cannot install ${vsix}: no such file.`);
    const result = spawnSync(process.execPath, [
      codeServerEntry,
      '--install-extension', vsix,
      '--extensions-dir', extensionsDir,
      '--user-data-dir', userDataDir,
    ], { env, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    if (result.error || result.status !== 0 || !/successfully installed/i.test(output)) {
      throw new HarnessError(`code-server could not install ${vsix} (${result.error?.message ?? `exit code ${result.status ?? result.signal}`}): ${output.split('\n').slice(-5).join(' | ')}`);
    }
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!existsSync(codeServerEntry)) {
    throw new HarnessError(`code-server is not installed (${codeServerEntry} is missing). Run: node scripts/provision-code-server.mjs --browser`);
  }
  const dirs = Object.fromEntries(['user-data', 'extensions', 'tmp', 'xdg-config', 'xdg-data', 'xdg-cache'].map((name) => {
    const dir = name === 'extensions' && options.extensionsDir ? options.extensionsDir : join(options.stateDir, name);
    mkdirSync(dir, { recursive: true });
    return [name, dir];
  }));
  mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({ ...testUserSettings, ...options.userSettings }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
  };
  if (options.installExtensions?.length) installExtensions(options.installExtensions, dirs.extensions, dirs['user-data'], env);

  const port = options.port ?? await freePort();
  const authority = `127.0.0.1:${port}`;
  const origin = `http://${authority}`;
  const child = spawn(process.execPath, [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', authority,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
  ], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  if (child.pid === undefined) throw new HarnessError('code-server could not be started.');
  const pid = child.pid;
  trackProcessGroup(pid);
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  } else {
    child.stdout.resume();
    child.stderr.resume();
  }
  let exitReason: string | undefined;
  child.once('exit', (code, signal) => { exitReason = `exit code ${code ?? signal}`; });
  child.once('error', (error) => { exitReason = error.message; });

  try {
    await waitForHealthy(origin, options.startTimeoutMs ?? 60_000, () => exitReason);
  } catch (error) {
    await stopProcessGroup(pid);
    throw error;
  }
  return {
    authority,
    origin,
    userDataDir: dirs['user-data'],
    stop: () => stopProcessGroup(pid),
  };
}
