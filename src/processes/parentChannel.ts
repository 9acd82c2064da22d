// The child's side of its IPC channel to the extension host: typed sends, validated messages in, one-job serving.
import { describeRaw } from '../core/guards';

/** Sends a message to the host; resolves once it is handed over (at once when there is no channel). */
export function sendToHost<FromChild>(message: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, undefined, () => resolve());
  });
}

/** Calls `handle` with each message from the host that `parse` accepts; `invalid` gets the rest (with a description). */
export function receiveFromHost<ToChild>(parse: (raw: unknown) => ToChild | undefined, handle: (message: ToChild) => void, invalid: (raw: unknown, description: string) => void): void {
  process.on('message', (raw: unknown) => {
    const message = parse(raw);
    if (message === undefined) invalid(raw, `Ignored an invalid message: ${describeRaw(raw)}`);
    else handle(message);
  });
}

/** Writes an unexpected error's stack to stderr, whose last lines the host keeps for its message. */
export function logError(error: unknown): void {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
}

/**
 * Serves a process that does one job: the first `start` from the host begins `job` (later ones are
 * ignored), `stop` aborts its signal (and ends a process whose job has not begun), and the process
 * exits once the job has settled. `started` says whether the job has begun.
 */
export function serveOneJob<Start extends { type: 'start' }>(parse: (raw: unknown) => Start | { type: 'stop' } | undefined, job: (start: Start, signal: AbortSignal) => Promise<void>): { controller: AbortController; started(): boolean } {
  const controller = new AbortController();
  let started = false;
  receiveFromHost(parse, (message) => {
    if (message.type === 'stop') {
      controller.abort();
      if (!started) process.exit(0);
    } else if (!started) {
      started = true;
      void job(message as Start, controller.signal).then(() => process.exit(0));
    }
  }, (_raw, description) => process.stderr.write(`${description}\n`));
  return { controller, started: () => started };
}
