// The extension as a user installs it, for the tests of the packages: builds a .vsix with
// `npm run package` (the universal one, or one for a VS Code target platform), finds where code-server
// installed it, and reads the Classifier Lab log the installed extension writes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/e2ePaths';
import type { Workbench } from '../harness/workbench';
import { classifyFromExplorer, classifyTabFrame } from './classifyTab';

interface Manifest { publisher: string; name: string; version: string }

/** Builds the package into `out` (for `target`, a platform's package; else the universal one). */
export function buildPackage(out: string, target?: string): void {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package-vsix.mjs'), '--out', out, ...(target ? ['--target', target] : [])], {
    cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000,
  });
  assert.equal(result.status, 0, `npm run package${target ? ` -- --target ${target}` : ''} failed:\n${result.stdout}\n${result.stderr}`);
}

/** What code-server recorded about an installed extension in its extensions folder's extensions.json. */
interface InstalledRecord {
  identifier: { id: string };
  relativeLocation: string;
}

/**
 * The folder code-server installed the extension into, as its extensions.json records it. (From a .vsix
 * file VS Code installs a platform's package under the same name as the universal one, and records no
 * target platform: matching the package to the platform is the Marketplace's part.)
 */
export function installedExtensionDir(extensionsDir: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  const records = JSON.parse(readFileSync(join(extensionsDir, 'extensions.json'), 'utf8')) as InstalledRecord[];
  const record = records.find((r) => r.identifier.id.toLowerCase() === id);
  assert.ok(record, `${id} is not in ${join(extensionsDir, 'extensions.json')}: ${JSON.stringify(records).slice(0, 500)}`);
  const dir = join(extensionsDir, record.relativeLocation);
  assert.ok(existsSync(join(dir, 'package.json')), `${dir} (where extensions.json says ${id} is) has no package.json`);
  return dir;
}

/** Files named `name` anywhere under `dir`. */
function findFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === name)
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Waits until the extension's log (the Classifier Lab output channel, as code-server writes it under
 * its user data folder's logs/) has a line matching `pattern`; returns that line.
 */
export async function waitForLogLine(userDataDir: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = findFiles(join(userDataDir, 'logs'), 'Classifier Lab.log').map((file) => readFileSync(file, 'utf8')).join('\n');
    const line = text.split('\n').find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) assert.fail(`no line matching ${pattern} in the Classifier Lab log within ${timeoutMs / 1000} s; it has:\n${text.slice(-3000) || '(no log file)'}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Classify Image on `photo` from the Explorer, to its top class; then the inference process's log line naming the libvips build that decoded it. */
export async function classifyAndReadLibvipsLine(workbench: Workbench, userDataDir: string, photo: string): Promise<string> {
  await classifyFromExplorer(workbench, [photo]);
  const frame = await classifyTabFrame(workbench.page, photo);
  await frame.locator('ol.bars li.top .class-name').waitFor({ timeout: 60_000 });
  return waitForLogLine(userDataDir, /\[inference\] Photos are decoded with libvips/);
}
