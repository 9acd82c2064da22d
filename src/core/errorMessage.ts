// The text of anything thrown, for a message to the user or a log line: an Error's message, else the value as text.

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
