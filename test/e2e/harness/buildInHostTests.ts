// Bundles the in-host test suite into one CommonJS module the extension host can require: the
// `run()` entry plus every test/integration-vscode/**/*.test.ts found now, with `vscode` left to the host.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { IN_HOST_LOG_PREFIX } from '../../integration-vscode/harness/inHostResults';
import { repoRoot } from './e2ePaths';
import { HarnessError } from './harnessError';

export const inHostTestsDir = join(repoRoot, 'test', 'integration-vscode');

function findTestFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTestFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

export interface BuiltInHostTests {
  /** The module to pass as extensionTestsPath. */
  entry: string;
  /** The bundle itself; its source map sits beside it. */
  bundle: string;
  testFiles: string[];
}

export interface BuildInHostTestsOptions {
  outDir: string;
  /** Where `run()` writes its InHostResults JSON. */
  resultsFile: string;
  /** Run only tests whose full title contains this. */
  filter?: string;
}

export async function buildInHostTests({ outDir, resultsFile, filter }: BuildInHostTestsOptions): Promise<BuiltInHostTests> {
  const testFiles = findTestFiles(inHostTestsDir);
  if (testFiles.length === 0) throw new HarnessError(`no *.test.ts files under ${relative(repoRoot, inHostTestsDir)}`);
  const entry = join(outDir, 'index.js');
  const suite = join(outDir, 'suite.js');
  const runModule = JSON.stringify(join(inHostTestsDir, 'harness', 'run'));
  const contents = [
    `import { configureInHostRun } from ${runModule};`,
    `configureInHostRun(${JSON.stringify({ resultsFile, filter })});`,
    `export { run } from ${runModule};`,
    ...testFiles.map((file) => `import ${JSON.stringify(file)};`),
  ].join('\n');
  try {
    await build({
      stdin: { contents, resolveDir: inHostTestsDir, sourcefile: 'in-host-tests.ts', loader: 'ts' },
      outfile: suite,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      sourcemap: 'external',
      logLevel: 'silent',
    });
  } catch (error) {
    throw new HarnessError(`the in-host tests do not build: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A load error (a test file throwing at import) would otherwise only say that the module failed.
  writeFileSync(entry, [
    "'use strict';",
    'try {',
    "  module.exports = require('./suite.js');",
    '} catch (error) {',
    `  console.log(${JSON.stringify(IN_HOST_LOG_PREFIX + ' FAILED loading the test suite:\n')} + (error && error.stack || error));`,
    '  throw error;',
    '}',
    '',
  ].join('\n'));
  return { entry, bundle: suite, testFiles };
}
