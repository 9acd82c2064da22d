// Type guards for JSON read from run files, which are untrusted: any field may be missing or of any type.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A whole number >= `min`. */
export function isWholeNumber(value: unknown, min = 0): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** A finite number in [0, 1]: accuracies, precisions, confidences. */
export function isFraction(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0 && value <= 1;
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

export function isNumberArray(value: unknown, each: (v: unknown) => boolean = isFiniteNumber): value is number[] {
  return Array.isArray(value) && value.every(each);
}

/** An ISO 8601 time that Date.parse reads. */
export function isTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** [height, width, channels] of positive whole numbers. */
export function isImageShape(value: unknown): value is [number, number, number] {
  return Array.isArray(value) && value.length === 3 && value.every((v) => isWholeNumber(v, 1));
}

/** A square matrix (`rows` x `rows` when given) of finite numbers, such as a confusion matrix. */
export function isMatrix(value: unknown, rows?: number): value is number[][] {
  if (!Array.isArray(value) || (rows !== undefined && value.length !== rows)) return false;
  return value.every((row) => Array.isArray(row) && row.length === value.length && row.every(isFiniteNumber));
}
