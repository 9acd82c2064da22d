// The end-to-end run: one code-server for everything, then
//   integration mode: test/integration-vscode/**/*.test.ts inside the real extension host;
//   UI mode: test/e2e/ui/**/*.test.ts on Node's test runner, driving the workbench through chromium.
// Prints each test, then `e2e: N passed, N failed`; exit code 0 only when everything passed.
// `node --import tsx test/e2e/harness/runE2e.ts [--mode all|integration|ui] [--filter TEXT] [--counts-file PATH]`
// (CLASSIFIER_LAB_E2E_PORT picks code-server's port; default: a free one)
// Expects a build (dist/extension.js), the sample workspace and code-server: scripts/run-e2e.mjs
// does all three first.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer, type CodeServer } from './codeServer';
import { artifactsDir, e2eStateDir, repoRoot } from './e2ePaths';
import { HarnessError } from './harnessError';
import { runInHostTests } from './runInHostTests';
import { prepareTestWorkspace } from './testWorkspace';
import { E2E_SERVER_ENV, E2E_WORKSPACE_ENV } from './workbenchSession';
import { isProcessAlive } from '../../../src/core/runs/reconcileStatus';

interface Counts { passed: number; failed: number }

// A UI test that hangs fails after this long; a UI run that hangs as a whole is stopped (SIGTERM,
// on which Playwright closes its browsers).
const UI_TEST_TIMEOUT_MS = 5 * 60_000;
const UI_RUN_TIMEOUT_MS = 30 * 60_000;

/** UI test files under `dir` whose path below `root` contains `filter` (the checkout's own path never counts). */
function findUiTests(dir: string, filter: string | undefined, root = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findUiTests(path, filter, root);
    return name.endsWith('.test.ts') && (!filter || relative(root, path).includes(filter)) ? [path] : [];
  });
}

async function runIntegration(server: CodeServer, workspace: string, runDir: string, filter: string | undefined): Promise<Counts> {
  console.log('\n== e2e integration tests (in the VS Code extension host) ==');
  const results = await runInHostTests({ server, workspace, stateDir: join(runDir, 'in-host'), filter });
  for (const test of results.tests.filter((t) => !t.ok)) {
    console.log(`\nFAILED ${test.title.join(' > ')}\n${test.error ?? ''}`);
  }
  console.log(`integration: ${results.passed} passed, ${results.failed} failed`);
  return results;
}

function runUi(server: CodeServer, workspace: string, runDir: string, filter: string | undefined): Counts {
  const files = findUiTests(join(repoRoot, 'test', 'e2e', 'ui'), filter);
  if (files.length === 0) return { passed: 0, failed: 0 };
  console.log(`\n== e2e UI tests (${files.length} files, workbench in chromium) ==`);
  const tapFile = join(runDir, 'ui.tap');
  const result = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${UI_TEST_TIMEOUT_MS}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files.map((f) => relative(repoRoot, f)),
  ], { cwd: repoRoot, stdio: 'inherit', timeout: UI_RUN_TIMEOUT_MS, killSignal: 'SIGTERM', env: { ...process.env, [E2E_SERVER_ENV]: server.origin, [E2E_WORKSPACE_ENV]: workspace } });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const passed = Number(/^# pass (\d+)$/m.exec(tap)?.[1] ?? 0);
  let failed = Number(/^# fail (\d+)$/m.exec(tap)?.[1] ?? 0);
  if (result.error) console.log(`UI tests stopped: ${result.error.message}`);
  // A crash (or the whole-run timeout) before any test reported still has to count as a failure.
  if (result.status !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}


// Folders of runs that were killed before they could clean up after themselves.
function removeAbandonedRunDirs(): void {
  if (!existsSync(e2eStateDir)) return;
  for (const name of readdirSync(e2eStateDir)) {
    const pid = /^(?:run|ui)-(\d+)$/.exec(name)?.[1];
    if (pid && !isProcessAlive(Number(pid))) rmSync(join(e2eStateDir, name), { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'all' },
      filter: { type: 'string' },
      'counts-file': { type: 'string' },
    },
  });
  const mode = values.mode ?? 'all';
  if (!['all', 'integration', 'ui'].includes(mode)) throw new HarnessError(`--mode must be all, integration or ui (got ${mode})`);
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new HarnessError('dist/extension.js is missing: run `npm run build` first.');

  // Artifacts describe the latest run only.
  if (existsSync(artifactsDir)) {
    for (const name of readdirSync(artifactsDir)) {
      if (name === 'code-server.log' || name === 'integration-failure.png' || name.startsWith('ui-failure-')) rmSync(join(artifactsDir, name), { force: true });
    }
  }
  removeAbandonedRunDirs();
  // One folder per run, so two runs in one checkout (two terminals) do not share state.
  const runDir = join(e2eStateDir, `run-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const workspace = prepareTestWorkspace(join(runDir, 'sample-workspace'));
  const logFile = join(runDir, 'code-server.log');
  const started = Date.now();
  const server = await startCodeServer({ stateDir: join(runDir, 'code-server'), logFile, port: process.env.CLASSIFIER_LAB_E2E_PORT ? Number(process.env.CLASSIFIER_LAB_E2E_PORT) : undefined });
  const counts: Counts = { passed: 0, failed: 0 };
  try {
    for (const part of mode === 'all' ? ['integration', 'ui'] : [mode]) {
      const c = part === 'integration' ? await runIntegration(server, workspace, runDir, values.filter) : runUi(server, workspace, runDir, values.filter);
      counts.passed += c.passed;
      counts.failed += c.failed;
    }
  } finally {
    await server.stop();
  }
  if (counts.failed > 0) {
    mkdirSync(artifactsDir, { recursive: true });
    copyFileSync(logFile, join(artifactsDir, 'code-server.log'));
    console.log(`\nScreenshots and code-server.log are in ${relative(repoRoot, artifactsDir)}/`);
  }
  rmSync(runDir, { recursive: true, force: true });
  console.log(`(e2e took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(`\ne2e: ${counts.passed} passed, ${counts.failed} failed`);
  if (values['counts-file']) writeFileSync(values['counts-file'], JSON.stringify(counts));
  return counts.failed > 0 || counts.passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error instanceof HarnessError ? `e2e: ${error.message}` : error);
  console.log('\ne2e: 0 passed, 1 failed');
  process.exit(1);
});
