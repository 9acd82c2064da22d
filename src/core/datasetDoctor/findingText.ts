// Wording shared by the findings: short names for files and lists of them.
import { relative, sep } from 'node:path';

/** A source as a user reads it: relative to the dataset root when inside it (`train/cat/a.png`, `data_batch_1.bin#17`). */
export function shortName(root: string, source: string): string {
  const name = relative(root, source);
  return name === '' || name.startsWith('..') ? source : name.split(sep).join('/');
}

/** "a, b and c", or the first `max` names and how many more. */
export function listNames(names: readonly string[], max = 4): string {
  if (names.length <= 1) return names.join('');
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** "1 image", "3 images". */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}
