// A failure of the test machinery itself (code-server or chromium missing, a server that never
// answers, a timeout), as opposed to a failing test: reported as one clear line, exit code 1.
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}
