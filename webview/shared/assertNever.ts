// Exhaustiveness check for switches over message unions: a new message type fails to compile where it is
// not handled; at run time (a panel newer than its page cannot happen, but a bug can) it is logged.
export function assertNever(value: never): void {
  console.warn('Unknown message from the extension', value);
}
