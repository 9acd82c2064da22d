// Desktop mode: the in-host integration suite (test/integration-vscode) in desktop VS Code, which
// @vscode/test-electron downloads into .cache/vscode-test/, for machines that can reach
// update.code.visualstudio.com. `npm test` runs the same suite in code-server and needs no download.
// `node --import tsx test/e2e/harness/runDesktopTests.ts [--filter TEXT] [--vscode-version V] [--vscode-executable PATH]`
// (scripts/test-desktop.mjs builds first and provides a display). With --vscode-executable an
// installed VS Code is used and nothing is downloaded.
// Offline the download fails within ~25 s with one clear line instead of waiting on the network.
// Prints `desktop: N passed, N failed`; exit code 0 only when everything passed.
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { downloadAndUnzipVSCode, ProgressReportStage, type ProgressReport, type ProgressReporter } from '@vscode/test-electron';
import { IN_HOST_LOG_PREFIX, type InHostResults } from '../../integration-vscode/harness/inHostResults';
import { buildInHostTests } from './buildInHostTests';
import { testUserSettings } from './codeServer';
import { artifactsDir, repoRoot } from './e2ePaths';
import { HarnessError } from './harnessError';
import { stopProcessGroup, trackProcessGroup } from './processGroups';
import { createStackMapper } from './stackMapper';
import { prepareTestWorkspace } from './testWorkspace';

// The release code-server 4.100.3 is built from, so both modes test against the same VS Code.
const DEFAULT_VSCODE_VERSION = '1.100.3';
const vscodeCacheDir = join(repoRoot, '.cache', 'vscode-test');
// Until the version is confirmed by the update server nothing has been downloaded; past this, the
// network is not there (a firewall that drops packets would otherwise keep us waiting for minutes).
const REACH_UPDATE_SERVER_MS = 25_000;
// test-electron's own idle timeout per request once the download runs.
const DOWNLOAD_IDLE_TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = 15 * 60_000;

function offlineHint(detail: string): HarnessError {
  return new HarnessError(`could not download VS Code: ${detail}. This machine cannot reach update.code.visualstudio.com; use npm test, which runs the same suite in code-server (or pass --vscode-executable PATH of an installed VS Code).`);
}

async function downloadVsCode(version: string): Promise<string> {
  let reached = false;
  let lastPercent = -10;
  const reporter: ProgressReporter = {
    report(report: ProgressReport) {
      switch (report.stage) {
        case ProgressReportStage.ResolvedVersion:
          reached = true;
          console.log(`VS Code ${report.version}`);
          return;
        case ProgressReportStage.FoundMatchingInstall:
          reached = true;
          console.log(`using the VS Code in ${relative(repoRoot, report.downloadedPath)}`);
          return;
        case ProgressReportStage.Downloading: {
          const percent = report.totalBytes ? Math.floor((100 * report.bytesSoFar) / report.totalBytes) : 0;
          if (percent >= lastPercent + 10) {
            lastPercent = percent;
            console.log(`downloading VS Code: ${percent}%`);
          }
          return;
        }
        case ProgressReportStage.Retrying:
          console.log(`download failed (${report.error.message}); retry ${report.attempt} of ${report.totalAttempts}`);
          return;
        case ProgressReportStage.NewInstallComplete:
          console.log(`VS Code installed in ${relative(repoRoot, report.downloadedPath)}`);
          return;
        default:
          return;
      }
    },
    error() {
      // The rejection below carries the error.
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const unreachable = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (!reached) reject(offlineHint(`no answer within ${REACH_UPDATE_SERVER_MS / 1000} s`));
    }, REACH_UPDATE_SERVER_MS);
  });
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({ version, cachePath: vscodeCacheDir, reporter, timeout: DOWNLOAD_IDLE_TIMEOUT_MS }),
      unreachable,
    ]);
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw offlineHint(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

function needsDisplay(): boolean {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

interface LaunchOptions {
  executable: string;
  workspace: string;
  testsEntry: string;
  stateDir: string;
  logFile: string;
  onInHostLine: (line: string) => void;
}

/**
 * Starts VS Code the way test-electron's runTests does (same flags), but detached in a process group
 * of its own, so a hung run can be killed with everything it started; resolves with its exit code.
 */
async function runVsCode(options: LaunchOptions): Promise<number | 'timeout'> {
  const userData = join(options.stateDir, 'user-data');
  const extensions = join(options.stateDir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(testUserSettings, null, 2));
  const child = spawn(options.executable, [
    options.workspace,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-workspace-trust',
    `--extensionDevelopmentPath=${repoRoot}`,
    `--extensionTestsPath=${options.testsEntry}`,
    `--user-data-dir=${userData}`,
    `--extensions-dir=${extensions}`,
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new HarnessError(`VS Code could not be started from ${options.executable}.`);
  const pid = child.pid;
  trackProcessGroup(pid);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
    // The extension host's console reaches VS Code's output; the suite's own lines are echoed.
    createInterface({ input: stream }).on('line', (line) => {
      const at = line.indexOf(IN_HOST_LOG_PREFIX);
      if (at >= 0) options.onInHostLine(line.slice(at + IN_HOST_LOG_PREFIX.length).trim());
    });
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      new Promise<number>((resolve, reject) => {
        child.once('error', (error) => reject(new HarnessError(`VS Code could not be started: ${error.message}`)));
        child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
      }),
      new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS); }),
    ]);
  } finally {
    clearTimeout(timer);
    await stopProcessGroup(pid);
    log.end();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      filter: { type: 'string' },
      'vscode-version': { type: 'string' },
      'vscode-executable': { type: 'string' },
    },
  });
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new HarnessError('dist/extension.js is missing: run `npm run build` first.');
  const started = Date.now();
  const executable = values['vscode-executable'] ?? await downloadVsCode(values['vscode-version'] ?? DEFAULT_VSCODE_VERSION);
  if (!existsSync(executable)) throw new HarnessError(`no VS Code executable at ${executable}.`);
  if (needsDisplay()) {
    throw new HarnessError('desktop VS Code needs a display and none is set: run it under xvfb-run (Debian: apt-get install xvfb), or use npm test, which runs the same suite in code-server.');
  }

  // A short path outside the repository: VS Code's IPC socket lives in the user-data folder, and
  // Unix socket paths are limited to ~107 bytes.
  const stateDir = mkdtempSync(join(tmpdir(), 'classifier-lab-desktop-'));
  const logFile = join(stateDir, 'vscode.log');
  try {
    const workspace = prepareTestWorkspace(join(stateDir, 'sample-workspace'));
    const resultsFile = join(stateDir, 'results.json');
    const { entry, bundle, testFiles } = await buildInHostTests({ outDir: join(stateDir, 'bundle'), resultsFile, filter: values.filter });
    const mapStack = createStackMapper(bundle);
    console.log(`\n== desktop VS Code: in-host suite, ${testFiles.length} test file(s) ==`);
    const exit = await runVsCode({ executable, workspace, testsEntry: entry, stateDir, logFile, onInHostLine: (line) => console.log(`  ${mapStack(line)}`) });

    let results: InHostResults;
    if (existsSync(resultsFile)) {
      const reported = JSON.parse(readFileSync(resultsFile, 'utf8')) as InHostResults;
      results = { ...reported, tests: reported.tests.map((t) => (t.error ? { ...t, error: mapStack(t.error) } : t)) };
      if (exit !== 0 && results.failed === 0) results = { ...results, failed: 1, tests: [...results.tests, { title: ['VS Code'], ok: false, durationMs: 0, error: `exit: ${exit}` }] };
    } else {
      const why = exit === 'timeout' ? `no result within ${RUN_TIMEOUT_MS / 60_000} min` : `VS Code exited with ${exit} before the suite reported`;
      results = { passed: 0, failed: 1, tests: [{ title: ['in-host suite'], ok: false, durationMs: 0, error: why }] };
    }
    for (const test of results.tests.filter((t) => !t.ok)) console.log(`\nFAILED ${test.title.join(' > ')}\n${test.error ?? ''}`);
    if (results.failed > 0) {
      mkdirSync(artifactsDir, { recursive: true });
      if (existsSync(logFile)) copyFileSync(logFile, join(artifactsDir, 'vscode-desktop.log'));
      console.log(`\nVS Code's output is in ${relative(repoRoot, join(artifactsDir, 'vscode-desktop.log'))}`);
    }
    console.log(`(desktop tests took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    console.log(`\ndesktop: ${results.passed} passed, ${results.failed} failed`);
    return results.failed > 0 || results.passed === 0 ? 1 : 0;
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error instanceof HarnessError ? `desktop: ${error.message}` : error);
  console.log('\ndesktop: 0 passed, 1 failed');
  process.exit(1);
});
