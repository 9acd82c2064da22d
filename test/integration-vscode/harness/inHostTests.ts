// A small test registry for code that runs inside the VS Code extension host, shaped like
// node:test (`describe`, `test`, `before`, `after`), because neither node:test's runner nor mocha
// can be driven from VS Code's `run()` entry here. Tests run one at a time, in registration order,
// each with a timeout; a failing `before` fails every test of its suite.
import type { InHostResults, InHostTestResult } from './inHostResults';

type Body = () => void | Promise<void>;

export interface InHostTestOptions {
  /** Milliseconds before the test fails as timed out. Default 60 000. */
  timeout?: number;
}

interface TestEntry { kind: 'test'; name: string; body: Body; timeout: number }
interface Suite {
  kind: 'suite';
  name: string;
  children: (TestEntry | Suite)[];
  before: Body[];
  after: Body[];
}

const DEFAULT_TIMEOUT_MS = 60_000;
const root: Suite = { kind: 'suite', name: '', children: [], before: [], after: [] };
let current = root;

export function describe(name: string, define: () => void): void {
  const suite: Suite = { kind: 'suite', name, children: [], before: [], after: [] };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    define();
  } finally {
    current = parent;
  }
}

export function test(name: string, optionsOrBody: InHostTestOptions | Body, maybeBody?: Body): void {
  const body = typeof optionsOrBody === 'function' ? optionsOrBody : maybeBody;
  const options = typeof optionsOrBody === 'function' ? {} : optionsOrBody;
  if (!body) throw new Error(`test "${name}" has no body`);
  current.children.push({ kind: 'test', name, body, timeout: options.timeout ?? DEFAULT_TIMEOUT_MS });
}

export function before(body: Body): void {
  current.before.push(body);
}

export function after(body: Body): void {
  current.after.push(body);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function withTimeout(body: Body, timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(body),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function countTests(suite: Suite): TestEntry[] {
  return suite.children.flatMap((child) => (child.kind === 'test' ? [child] : countTests(child)));
}

/** Whether any test of `suite` (under `path`) has a full title containing `filter`, counting nested suites' names. */
function hasMatch(suite: Suite, path: string[], filter: string | undefined): boolean {
  const title = suite.name ? [...path, suite.name] : path;
  return suite.children.some((child) => (child.kind === 'suite' ? hasMatch(child, title, filter) : !filter || [...title, child.name].join(' ').includes(filter)));
}

async function runSuite(suite: Suite, path: string[], filter: string | undefined, report: (r: InHostTestResult) => void): Promise<void> {
  const title = suite.name ? [...path, suite.name] : path;
  const matches = (entry: TestEntry): boolean => !filter || [...title, entry.name].join(' ').includes(filter);
  if (!hasMatch(suite, path, filter)) return;
  let setupError: unknown;
  for (const hook of suite.before) {
    try {
      await withTimeout(hook, DEFAULT_TIMEOUT_MS, `before hook of "${title.join(' ')}"`);
    } catch (error) {
      setupError = error;
      break;
    }
  }
  for (const child of suite.children) {
    if (child.kind === 'suite') {
      if (setupError) {
        for (const t of countTests(child).filter((t) => !filter || [...title, child.name, t.name].join(' ').includes(filter))) report({ title: [...title, child.name, t.name], ok: false, durationMs: 0, error: `before hook failed: ${describeError(setupError)}` });
      } else {
        await runSuite(child, title, filter, report);
      }
      continue;
    }
    if (!matches(child)) continue;
    if (setupError) {
      report({ title: [...title, child.name], ok: false, durationMs: 0, error: `before hook failed: ${describeError(setupError)}` });
      continue;
    }
    const started = Date.now();
    try {
      await withTimeout(child.body, child.timeout, `test "${child.name}"`);
      report({ title: [...title, child.name], ok: true, durationMs: Date.now() - started });
    } catch (error) {
      report({ title: [...title, child.name], ok: false, durationMs: Date.now() - started, error: describeError(error) });
    }
  }
  for (const hook of suite.after) {
    try {
      await withTimeout(hook, DEFAULT_TIMEOUT_MS, `after hook of "${title.join(' ')}"`);
    } catch (error) {
      report({ title: [...title, '(after hook)'], ok: false, durationMs: 0, error: describeError(error) });
    }
  }
}

/** Runs every registered test whose full title contains `filter` (all when omitted). */
export async function runRegisteredTests(filter?: string, onResult?: (result: InHostTestResult) => void): Promise<InHostResults> {
  const tests: InHostTestResult[] = [];
  await runSuite(root, [], filter, (result) => {
    tests.push(result);
    onResult?.(result);
  });
  const failed = tests.filter((t) => !t.ok).length;
  return { passed: tests.length - failed, failed, tests };
}
