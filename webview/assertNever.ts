// Exhaustiveness check for switches over message unions: a new message type fails to compile here.
export function assertNever(value: never): void {
  console.warn('Unknown message from the extension', value);
}
