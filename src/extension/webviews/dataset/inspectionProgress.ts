// An inspection's progress as the notification shows it: a share of the whole and a line of text. No VS Code API here.
import type { InspectProgress } from '../../../protocol/inspect';

/** The progress notification's share of the work: reading (and scoring) 0-90%, comparing 90-100%. */
export function progressPercent(progress: InspectProgress): number {
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 1;
  return progress.phase === 'reading' ? fraction * 90 : 90 + fraction * 10;
}

export function progressText(progress: InspectProgress): string {
  const what = progress.phase === 'reading' ? 'reading images' : 'comparing images';
  return `${what}: ${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')}`;
}
