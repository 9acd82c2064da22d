// Runs the test suites on Node's built-in test runner (TypeScript through tsx) and prints one
// closing line, `N passed, N failed`, over all of them.
// `node scripts/run-tests.mjs [unit|integration|e2e|all] [filter]`; `all` (the default) runs unit, integration,
// then e2e (integration and UI tests in a real VS Code: code-server + headless Chromium, see test/e2e/README.md).
import { readdirSync, statSync, existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

const which = process.argv[2] ?? 'all';
const filter = process.argv[3];
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
let crashed = false;
for (const suite of suites) {
  if (suite === 'e2e') {
    const countsFile = join(tapDir, 'e2e.json');
    console.log('\n== e2e tests (real VS Code) ==');
    const args = ['scripts/run-e2e.mjs', '--counts-file', countsFile, ...(filter ? ['--filter', filter] : [])];
    const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
    const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 1 };
    passed += counts.passed;
    failed += counts.failed;
    if (result.status !== 0 && counts.failed === 0) crashed = true;
    continue;
  }
  const files = findTests(join('test', suite)).filter((f) => !filter || f.includes(filter));
  if (files.length === 0) continue;
  console.log(`\n== ${suite} tests (${files.length} files) ==`);
  const tapFile = join(tapDir, `${suite}.tap`);
  const result = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const pass = Number(/^# pass (\d+)$/m.exec(tap)?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)$/m.exec(tap)?.[1] ?? 0);
  passed += pass;
  failed += fail;
  if (result.status !== 0 && fail === 0) crashed = true;
}
rmSync(tapDir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || crashed ? 1 : 0);
