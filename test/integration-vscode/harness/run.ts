// The extension host's test entry (VS Code calls `run()` from the module named by
// extensionTestsPath and exits with code 1 if it rejects). The e2e harness bundles this file with
// every test/integration-vscode/**/*.test.ts and calls `configureInHostRun` first, so by the time
// `run()` is called all tests are registered and the harness knows where to find the results.
import { writeFileSync } from 'node:fs';
import { runRegisteredTests } from './inHostTests';
import { IN_HOST_LOG_PREFIX } from './inHostResults';

export interface InHostRunConfiguration {
  /** Where to write the InHostResults JSON. */
  resultsFile?: string;
  /** Run only tests whose full title contains this. */
  filter?: string;
}

let configuration: InHostRunConfiguration = {};

export function configureInHostRun(options: InHostRunConfiguration): void {
  configuration = options;
}

export async function run(): Promise<void> {
  const results = await runRegisteredTests(configuration.filter, (result) => {
    const line = `${IN_HOST_LOG_PREFIX} ${result.ok ? 'ok' : 'FAILED'} ${result.title.join(' > ')} (${result.durationMs} ms)`;
    console.log(result.error ? `${line}\n${result.error}` : line);
  });
  if (configuration.resultsFile) writeFileSync(configuration.resultsFile, JSON.stringify(results, null, 2));
  console.log(`${IN_HOST_LOG_PREFIX} finished (${results.passed} passed, ${results.failed} failed)`);
  if (results.failed > 0) throw new Error(`${results.failed} in-host test(s) failed`);
}
