// Runs the test suites on Node's built-in test runner (TypeScript through tsx) and prints one
// closing line, `N passed, N failed`, over all of them.
// `node scripts/run-tests.mjs [unit|integration|all] [filter]`; `all` (the default) runs unit then integration.
import { readdirSync, statSync, existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

const which = process.argv[2] ?? 'all';
const filter = process.argv[3];
const suites = which === 'all' ? ['unit', 'integration'] : [which];

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
