// What the in-host test run reports back to the e2e harness, as JSON in a results file.
export interface InHostTestResult {
  /** Suite names and the test name, outermost first. */
  title: string[];
  ok: boolean;
  durationMs: number;
  /** Stack (or message) of the failure. */
  error?: string;
}

export interface InHostResults {
  passed: number;
  failed: number;
  tests: InHostTestResult[];
}

/** Lines the in-host runner logs start with this, so the harness can echo them from the page console. */
export const IN_HOST_LOG_PREFIX = '[in-host]';
