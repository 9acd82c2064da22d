// Runs the test suites on Node's built-in test runner (TypeScript through tsx) and prints one
// closing line over all of them: `N passed, N failed`, then any cancelled (timed out or cut short),
// skipped and todo tests. Cancelled tests fail the run.
// `node scripts/run-tests.mjs [unit|integration|e2e|all] [filter]`; `all` (the default) runs unit, integration,
// then e2e (integration and UI tests in a real VS Code: code-server + headless Chromium, see test/e2e/README.md).
// A test file that runs longer than CLASSIFIER_LAB_TEST_TIMEOUT_MS (default 10 minutes; Node 20 times
// each file as a whole) is stopped and its unfinished tests count as cancelled.
import { readdirSync, statSync, existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

const which = process.argv[2] ?? 'all';
const filter = process.argv[3];
const timeoutMs = Number(process.env.CLASSIFIER_LAB_TEST_TIMEOUT_MS ?? 10 * 60_000);
const suites = which === 'all' ? ['unit', 'integration', 'e2e'] : [which];

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const tapDir = mkdtempSync(join(tmpdir(), 'classifier-lab-tests-'));
let passed = 0;
let failed = 0;
let cancelled = 0;
let skipped = 0;
let todo = 0;
const timedOut = [];
let crashed = false;

/** Top-level TAP entries (test files) whose failure was the timeout: Node 20 reports them as cancelled. */
function timedOutFiles(tap) {
  const names = [];
  let current;
  for (const line of tap.split('\n')) {
    const entry = /^(?:not )?ok \d+ - (.+)$/.exec(line);
    if (entry) current = line.startsWith('not ok') ? entry[1] : undefined;
    else if (current && /^ {2}failureType: 'testTimeoutFailure'/.test(line)) names.push(current);
  }
  return names;
}

/** The count a TAP summary line (`# pass 12`) gives, or 0. */
function tapCount(tap, name) {
  return Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
}
for (const suite of suites) {
  if (suite === 'e2e') {
    const countsFile = join(tapDir, 'e2e.json');
    console.log('\n== e2e tests (real VS Code) ==');
    const args = ['scripts/run-e2e.mjs', '--counts-file', countsFile, ...(filter ? ['--filter', filter] : [])];
    const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
    const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 1 };
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped ?? 0;
    if (result.status !== 0 && counts.failed === 0) crashed = true;
    continue;
  }
  const files = findTests(join('test', suite)).filter((f) => !filter || f.includes(filter));
  if (files.length === 0) continue;
  console.log(`\n== ${suite} tests (${files.length} files) ==`);
  const tapFile = join(tapDir, `${suite}.tap`);
  const result = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${timeoutMs}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ], {
    stdio: 'inherit',
    // The decoded-dataset cache of these tests lives and dies with this run, never in the user's cache.
    env: { ...process.env, NODE_ENV: 'test', CLASSIFIER_LAB_DECODED_CACHE: process.env.CLASSIFIER_LAB_DECODED_CACHE ?? join(tapDir, 'decoded-cache') },
  });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const fail = tapCount(tap, 'fail');
  const cancel = tapCount(tap, 'cancelled');
  passed += tapCount(tap, 'pass');
  failed += fail;
  cancelled += cancel;
  skipped += tapCount(tap, 'skipped');
  todo += tapCount(tap, 'todo');
  timedOut.push(...timedOutFiles(tap));
  if (result.status !== 0 && fail === 0 && cancel === 0) crashed = true;
}
rmSync(tapDir, { recursive: true, force: true });
for (const name of timedOut) console.log(`timed out after ${timeoutMs / 1000} s: ${name}`);
const extra = [
  cancelled > 0 ? `${cancelled} cancelled (timed out or cut short)` : '',
  skipped > 0 ? `${skipped} skipped` : '',
  todo > 0 ? `${todo} todo` : '',
].filter(Boolean);
console.log(`\n${passed} passed, ${failed} failed${extra.length > 0 ? `, ${extra.join(', ')}` : ''}`);
process.exit(failed > 0 || cancelled > 0 || crashed ? 1 : 0);
