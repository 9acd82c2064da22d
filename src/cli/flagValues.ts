// Turning one command-line flag's text into a checked value, with the usage message that names the flag.
import { UsageError } from './usageError';

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}").`);
  }
  return value as T;
}

export function numberFlag(flag: string, value: string | undefined, fallback: number, integer: boolean): number;
export function numberFlag(flag: string, value: string | undefined, fallback: undefined, integer: boolean): number | undefined;
export function numberFlag(flag: string, value: string | undefined, fallback: number | undefined, integer: boolean): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`--${flag} needs ${integer ? 'a whole number' : 'a number'} (got "${value}").`);
  }
  return parsed;
}

/** A comma-separated list of numbers (`0.5,0.75`). */
export function numberListFlag(flag: string, value: string, integer: boolean): number[] {
  const items = value.split(',').map((item) => item.trim());
  return items.map((item) => {
    const parsed = Number(item);
    if (item === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
      throw new UsageError(`--${flag} needs a comma-separated list of ${integer ? 'whole numbers' : 'numbers'} (got "${value}").`);
    }
    return parsed;
  });
}
