// The order and grouping of the Experiments view: queued first, then newest first; optionally grouped by dataset or status.
import { datasetLabel } from '../../core/runs/defaultRunName';
import type { RunStatus } from '../../core/train/trainingEvents';
import type { RunEntry } from './runEntries';

export type GroupBy = 'none' | 'dataset' | 'status';
export const GROUP_BY_OPTIONS: readonly GroupBy[] = ['none', 'dataset', 'status'];

export interface RunGroup {
  /** Stable across refreshes (the tree keeps expansion state by it). */
  key: string;
  label: string;
  /** Shown beside the label, e.g. the dataset path. */
  description?: string;
  entries: RunEntry[];
}

/** Status groups in the order a user scans them: what is happening now first. */
const STATUS_ORDER: readonly RunStatus[] = ['running', 'queued', 'interrupted', 'completed', 'failed', 'cancelled'];
const STATUS_LABELS: Record<RunStatus, string> = {
  running: 'Running', queued: 'Queued', interrupted: 'Interrupted', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled',
};

/** Waiting in this window's queue reads as queued (also a run waiting to resume), a trainer started as running, else what the run folder says. */
export function entryStatus(entry: RunEntry): RunStatus {
  if (entry.training?.phase === 'queued') return 'queued';
  return entry.kind === 'queued' ? 'running' : entry.record.status;
}

function createdMs(entry: RunEntry): number {
  const ms = entry.kind === 'queued' ? entry.training.queuedAt.getTime() : Date.parse(entry.record.createdAt);
  return Number.isFinite(ms) ? ms : 0;
}

/** Stable across refreshes: the run id, or the queue ticket of a run without a folder yet. */
export function entryId(entry: RunEntry): string {
  return entry.kind === 'queued' ? `queued:${entry.training.ticket}` : entry.record.id;
}

/** Queued requests first (in the order they will start), then runs newest first (ties by id, newest first). */
export function sortRuns(entries: readonly RunEntry[]): RunEntry[] {
  return [...entries].sort((a, b) => {
    if (a.kind === 'queued' || b.kind === 'queued') {
      if (a.kind === 'queued' && b.kind === 'queued') return a.training.ticket - b.training.ticket;
      return a.kind === 'queued' ? -1 : 1;
    }
    const byTime = createdMs(b) - createdMs(a);
    if (byTime !== 0) return byTime;
    return entryId(a) < entryId(b) ? 1 : entryId(a) > entryId(b) ? -1 : 0;
  });
}

function datasetPath(entry: RunEntry): string {
  return entry.kind === 'queued' ? entry.training.request.spec.data.path : entry.record.spec.data.path;
}

/** Groups of sorted runs; a single unnamed group holding everything for 'none'. Empty groups are left out. */
export function groupRuns(entries: readonly RunEntry[], groupBy: GroupBy): RunGroup[] {
  const sorted = sortRuns(entries);
  if (groupBy === 'none') return [{ key: 'all', label: 'All runs', entries: sorted }];
  if (groupBy === 'status') {
    return STATUS_ORDER
      .map((status) => ({ key: `status:${status}`, label: STATUS_LABELS[status], entries: sorted.filter((e) => entryStatus(e) === status) }))
      .filter((group) => group.entries.length > 0);
  }
  // By dataset: groups ordered by their newest run, so the dataset worked on last comes first.
  const groups = new Map<string, RunGroup>();
  for (const entry of sorted) {
    const path = datasetPath(entry);
    let group = groups.get(path);
    if (!group) groups.set(path, group = { key: `dataset:${path}`, label: datasetLabel(path), description: path, entries: [] });
    group.entries.push(entry);
  }
  return [...groups.values()];
}
