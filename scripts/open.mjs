// Opens the sample workspace in VS Code with this extension loaded from source.
//   With a desktop `code` CLI on PATH: `code --extensionDevelopmentPath=<repo> sample-workspace`.
//   Otherwise (or with --web): code-server (installed on first use into .cache/code-server) on
//   127.0.0.1 and a free port (or $PORT); prints the URL to open, runs until Ctrl+C.
// `node scripts/open.mjs [--web]`. Rebuilds the extension first so the window runs the current source.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, ProvisionError } from './provision-code-server.mjs';
import { makeSampleWorkspace, sampleWorkspaceDir } from './make-sample-workspace.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Kept between runs (unlike the tests' throw-away profiles), so layout and settings persist.
const stateDir = join(repoRoot, '.cache', 'open');

function fail(message) {
  console.error(`open: ${message}`);
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function workbenchUrl(authority, folder) {
  const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${encodeURI(repoRoot)}`]];
  return `http://${authority}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function waitForHealthy(origin, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`code-server exited with code ${child.exitCode} before it was ready (log: ${join(stateDir, 'code-server.log')}).`);
    try {
      const response = await globalThis.fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  fail(`code-server did not answer ${origin}/healthz within ${timeoutMs / 1000} s.`);
}

async function openInCodeServer() {
  let entry;
  try {
    entry = ensureCodeServer();
  } catch (error) {
    fail(error instanceof ProvisionError ? error.message : String(error));
  }
  const dirs = {};
  for (const name of ['user-data', 'extensions', 'tmp', 'xdg-config', 'xdg-data']) {
    dirs[name] = join(stateDir, name);
    mkdirSync(dirs[name], { recursive: true });
  }
  const settingsFile = join(dirs['user-data'], 'User', 'settings.json');
  if (!existsSync(settingsFile)) {
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({
      'workbench.startupEditor': 'readme',
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
    }, null, 2) + '\n');
  }
  const port = process.env.PORT ? Number(process.env.PORT) : await freePort();
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT must be a port number (got ${process.env.PORT}).`);
  const authority = `127.0.0.1:${port}`;
  const log = openSync(join(stateDir, 'code-server.log'), 'a');
  const child = spawn(process.execPath, [
    entry,
    '--auth', 'none',
    '--bind-addr', authority,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
  ], {
    // Its own process group, so stopping it also stops the extension host and watchers it forks.
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'] },
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('exit', () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      console.log('\nStopping code-server...');
      stop();
      setTimeout(() => process.exit(0), 2000).unref();
      child.once('exit', () => process.exit(0));
    });
  }
  await waitForHealthy(`http://${authority}`, child, 60_000);
  console.log([
    '',
    'Classifier Lab is running in code-server (VS Code in the browser). Open:',
    '',
    `  ${workbenchUrl(authority, sampleWorkspaceDir)}`,
    '',
    `Log: ${join(stateDir, 'code-server.log')}. Press Ctrl+C to stop.`,
  ].join('\n'));
  child.once('exit', (code, signal) => {
    console.error(`code-server stopped (${code ?? signal}).`);
    process.exit(code ?? 1);
  });
}

const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed; fix it and run again.');
if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) fail('the build did not produce dist/extension.js.');
try {
  makeSampleWorkspace();
} catch (error) {
  fail(`could not generate the sample workspace: ${error instanceof Error ? error.message : String(error)}`);
}

if (!process.argv.includes('--web') && onPath('code')) {
  const code = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, sampleWorkspaceDir], { stdio: 'inherit' });
  process.exit(code.status ?? 1);
} else {
  await openInCodeServer();
}
