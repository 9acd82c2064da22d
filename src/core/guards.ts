// Type guards for untrusted plain data (IPC messages from child processes, messages from webviews):
// the one set every message parser is written with.

export type Fields = Record<string, unknown>;

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** A string of 1 to `max` characters. */
export function isShortString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** A non-empty path without NUL bytes. */
export function isPath(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && !value.includes('\0');
}

/** A whole number (any sign). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** A whole number >= 0: a position, a count, a request id. */
export function isIndex(value: unknown): value is number {
  return isInteger(value) && value >= 0;
}

/** A number in [0, 1]. */
export function isProbability(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** Whether `value` is one of `allowed` (for string unions). */
export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** Every listed field of `value` is a number. */
export function hasNumbers(value: Fields, keys: readonly string[]): boolean {
  return keys.every((key) => typeof value[key] === 'number');
}

/** Every listed field of `value` is a string. */
export function hasStrings(value: Fields, keys: readonly string[]): boolean {
  return keys.every((key) => typeof value[key] === 'string');
}

/** Absent, or passing `guard`. */
export function isOptional<T>(value: unknown, guard: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || guard(value);
}

/** Up to 200 characters of `raw` as JSON, for a log line about a message that was ignored. */
export function describeRaw(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, 200);
  } catch {
    return String(raw).slice(0, 200);
  }
}
