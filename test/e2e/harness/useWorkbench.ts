// node:test glue for UI tests: call inside a `describe` to open one workbench before its tests and
// close it after them; a failing test leaves a screenshot in .test-artifacts/ named after it.
import { after, afterEach, before } from 'node:test';
import { openWorkbenchSession, type WorkbenchSession, type WorkbenchSessionOptions } from './workbenchSession';
import type { Workbench } from './workbench';

export function useWorkbench(options: WorkbenchSessionOptions = {}): () => Workbench {
  const session = useWorkbenchSession(options);
  return () => session().workbench;
}

/** Like useWorkbench, for tests that also need the session's workspace or extensions folder. */
export function useWorkbenchSession(options: WorkbenchSessionOptions = {}): () => WorkbenchSession {
  let session: WorkbenchSession | undefined;
  before(async () => {
    session = await openWorkbenchSession(options);
  }, { timeout: 120_000 });
  afterEach(async (context) => {
    // `passed` is there at run time on Node 20.12+ (not yet in the installed @types/node).
    if (session && 'passed' in context && context.passed === false) {
      const path = await session.workbench.screenshot(`ui-failure-${context.name}`).catch(() => undefined);
      if (path) console.log(`screenshot of the failure: ${path}`);
    }
  });
  after(async () => {
    await session?.close();
  });
  return () => {
    if (!session) throw new Error('the workbench did not open (see the before hook\'s error)');
    return session;
  };
}
