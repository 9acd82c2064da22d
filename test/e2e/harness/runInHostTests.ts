// Integration mode: runs the in-host test suite (test/integration-vscode) inside a real VS Code
// extension host. A browser opens the workbench with extensionTestsPath in its URL; VS Code runs the
// suite and reports its exit code through window.codeAutomationExit; the suite's own results file
// says which tests passed.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { IN_HOST_LOG_PREFIX, type InHostResults } from '../../integration-vscode/harness/inHostResults';
import { launchBrowser } from './browser';
import { buildInHostTests } from './buildInHostTests';
import type { CodeServer } from './codeServer';
import { artifactsDir, repoRoot } from './e2ePaths';
import { createStackMapper } from './stackMapper';
import { workbenchUrl } from './workbenchUrl';

export interface InHostRunOptions {
  server: CodeServer;
  /** Folder the workbench opens. */
  workspace: string;
  /** Scratch folder for the bundle, the results file and the browser profile. */
  stateDir: string;
  /** Run only tests whose full title contains this. */
  filter?: string;
  /** Whole-run limit. Default 10 minutes. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

// Console messages from the extension host arrive in the page prefixed with styling ("%c INFO color: ...").
function inHostLine(text: string): string | undefined {
  const at = text.indexOf(IN_HOST_LOG_PREFIX);
  return at < 0 ? undefined : text.slice(at + IN_HOST_LOG_PREFIX.length).trim();
}

export async function runInHostTests(options: InHostRunOptions): Promise<InHostResults> {
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  mkdirSync(options.stateDir, { recursive: true });
  const resultsFile = join(options.stateDir, 'results.json');
  rmSync(resultsFile, { force: true });
  const { entry, bundle, testFiles } = await buildInHostTests({ outDir: join(options.stateDir, 'bundle'), resultsFile, filter: options.filter });
  log(`in-host suite: ${testFiles.length} test file(s)`);
  const mapStack = createStackMapper(bundle);

  const browser = await launchBrowser(join(options.stateDir, 'browser'));
  let exitCode: number | 'timeout' | 'page closed';
  try {
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => { reportExit = resolve; });
    await browser.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    const page = browser.pages()[0] ?? await browser.newPage();
    page.on('console', (message) => {
      const line = inHostLine(message.text());
      if (line !== undefined) log(`  ${mapStack(line)}`);
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const closed = new Promise<'page closed'>((resolve) => page.once('close', () => resolve('page closed')));
    await page.goto(workbenchUrl(options.server.origin, {
      folder: options.workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: entry,
    }));
    exitCode = await Promise.race([exited, timedOut, closed]);
    clearTimeout(timer);
    if (exitCode !== 0 && !page.isClosed()) {
      mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({ path: join(artifactsDir, 'integration-failure.png') }).catch(() => undefined);
    }
  } finally {
    await browser.close().catch(() => undefined);
  }

  if (existsSync(resultsFile)) {
    const reported = JSON.parse(readFileSync(resultsFile, 'utf8')) as InHostResults;
    const results = { ...reported, tests: reported.tests.map((t) => (t.error ? { ...t, error: mapStack(t.error) } : t)) };
    if (exitCode === 0 || results.failed > 0) return results;
    // The tests passed but VS Code reported a failure afterwards (e.g. a crash on shutdown).
    return { ...results, failed: results.failed + 1, tests: [...results.tests, { title: ['extension host'], ok: false, durationMs: 0, error: `exit: ${exitCode}` }] };
  }
  const why = exitCode === 'timeout' ? `no result within ${timeoutMs / 1000} s`
    : exitCode === 'page closed' ? 'the workbench page closed'
      : `the extension host exited with ${exitCode} before the suite reported (it did not load or run() threw early)`;
  return { passed: 0, failed: 1, tests: [{ title: ['in-host suite'], ok: false, durationMs: 0, error: why }] };
}
