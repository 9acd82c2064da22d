// How long the dataset tab takes in a real VS Code (code-server + headless Chromium, as the UI tests run
// it): from picking the dataset in Inspect Dataset's picker to the progress notification, to the finished
// report on the page, and to the first thumbnail of its findings; beside it, in the same command, the
// same inspection in the dataset process outside VS Code and the command line's `inspect --json`, so the
// tab's cost over the engine reads as a difference despite the machine's load. A benchmark: it prints
// numbers, it asserts nothing.
//
//   npm run build && node --import tsx bench/benchDatasetTab.ts --data PATH [--repeat N] [--no-beside]
//
// The folder holding PATH is opened as the workspace (the picker finds PATH there); nothing in it is changed.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { InspectHost } from '../src/processes/inspect/inspectHost';
import { repoRoot } from '../test/e2e/harness/e2ePaths';
import { openWorkbenchSession } from '../test/e2e/harness/workbenchSession';
import { inspectFromPalette, waitForReport } from '../test/e2e/ui/datasetView';

const USAGE = 'usage: node --import tsx bench/benchDatasetTab.ts --data PATH [--repeat N] [--no-beside]';
const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const seconds = (from: number, to: number): string => `${((to - from) / 1000).toFixed(1)} s`;

interface CliTiming {
  wall: number;
  /** The `seconds` of the command's inspectEnd line: the engine's own time. */
  engine: number;
  findings: number;
}

/** `classifier-lab inspect --data root --json`, timed from spawn to exit. */
function inspectOnCommandLine(root: string): Promise<CliTiming> {
  return new Promise((resolveTiming, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'inspect', '--data', root, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (Date.now() - started) / 1000;
      const end = out.trim().split('\n').map((line) => JSON.parse(line) as { type: string; seconds?: number; findings?: number }).find((line) => line.type === 'inspectEnd');
      if (code !== 0 || !end) reject(new Error(`inspect exited ${code}: ${err.trim()}`));
      else resolveTiming({ wall, engine: end.seconds ?? NaN, findings: end.findings ?? NaN });
    });
  });
}

/** The tab's inspection without VS Code: dist/inspect.js forked and asked as the tab asks it. */
async function inspectInDatasetProcess(root: string): Promise<{ wall: number; engine: number }> {
  const host = new InspectHost({ script: join(repoRoot, 'dist', 'inspect.js'), cwd: repoRoot });
  try {
    const started = Date.now();
    const report = await host.inspect({ path: root, format: 'auto', cifar100Labels: 'fine', backend: 'auto' });
    return { wall: (Date.now() - started) / 1000, engine: report.seconds };
  } finally {
    host.dispose();
  }
}

async function main(): Promise<void> {
  const data = option('--data');
  const repeat = Number(option('--repeat') ?? 1);
  if (!data || !Number.isInteger(repeat) || repeat < 1) throw new Error(USAGE);
  const root = resolve(data);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${root} is not a folder. ${USAGE}`);
  const beside = !args.includes('--no-beside');
  if (beside && !existsSync(join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run npm run build first (or pass --no-beside).');
  const name = basename(root);
  const opening = Date.now();
  const session = await openWorkbenchSession({ workspace: dirname(root) });
  console.log(`workbench open in ${seconds(opening, Date.now())} (code-server, Chromium, the extension)`);
  try {
    const { workbench, page } = session;
    for (let round = 1; round <= repeat; round++) {
      await workbench.runCommand('View: Close All Editors');
      const started = Date.now();
      await inspectFromPalette(workbench, name);
      const picked = Date.now();
      await workbench.waitForNotification(`Inspecting ${name}`, 60_000);
      const notified = Date.now();
      const frame = await waitForReport(page, name, 600_000);
      const reported = Date.now();
      // The first thumbnail of the findings: a file loads from disk; a record of a binary dataset arrives as pixels.
      const hasThumbs = await frame.locator('section.findings .thumb').count() > 0;
      if (hasThumbs) await frame.locator('section.findings .thumb img, section.findings .thumb canvas').first().waitFor({ timeout: 60_000 });
      const thumbnailed = Date.now();
      const summary = (await frame.locator('.summary').innerText()).trim();
      const findings = (await frame.locator('.overview').innerText()).replace(/\s+/g, ' ').trim();
      console.log(`round ${round} (load average ${loadavg()[0].toFixed(1)}): ${summary}`);
      console.log(`  ${findings}`);
      console.log(`  tab: picked -> notification ${seconds(picked, notified)}; picked -> report shown ${seconds(picked, reported)}` +
        `${hasThumbs ? `; picked -> first finding thumbnail ${seconds(picked, thumbnailed)}` : ''} (palette and picker before it ${seconds(started, picked)})`);
      if (beside) {
        const alone = await inspectInDatasetProcess(root);
        console.log(`  the dataset process outside VS Code, right after: ${alone.wall.toFixed(1)} s (engine ${alone.engine.toFixed(1)} s)`);
        const cli = await inspectOnCommandLine(root);
        console.log(`  the command line, right after: inspect --json ${cli.wall.toFixed(1)} s wall (engine ${cli.engine.toFixed(1)} s), ${cli.findings} findings`);
      }
    }
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
