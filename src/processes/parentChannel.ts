// The child's side of its IPC channel to the extension host: typed sends, and validated messages in.
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
