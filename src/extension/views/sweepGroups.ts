// Which rows of the Experiments view belong to a sweep: each sweep's trial runs (and trial runs still
// waiting in this window's queue) gathered under it, best trial first; the other runs stay where they were.
import { rankTrials } from '../../core/sweeps/planNextTrial';
import type { SweepRecord, TrialRecord } from '../../core/sweeps/sweepRecord';
import { sortRuns } from './groupRuns';
import type { RunEntry } from './runEntries';

export interface SweepGroup {
  /** Stable across refreshes (the tree keeps expansion state by it). */
  key: string;
  sweep: SweepRecord;
  /** Its trials' runs: the best trial first, then the others by value, then running, waiting and stopped ones. */
  entries: RunEntry[];
}

export type TopLevelItem = { kind: 'sweep'; group: SweepGroup } | { kind: 'run'; entry: RunEntry };

/** Finds the sweep and trial of a queued run that has no folder yet. */
export type TicketLookup = (ticket: number) => { sweepId: string; trial: number } | undefined;

function trialRank(sweep: SweepRecord): Map<number, number> {
  const ranked = rankTrials(sweep.spec, sweep.trials).map((trial) => trial.trial);
  const best = sweep.best?.trial;
  const order = best !== undefined ? [best, ...ranked.filter((trial) => trial !== best)] : ranked;
  const later = (status: TrialRecord['status']) => (status === 'running' ? 1 : status === 'pending' ? 2 : 3);
  const rest = sweep.trials.filter((trial) => !order.includes(trial.trial))
    .sort((a, b) => later(a.status) - later(b.status) || a.trial - b.trial)
    .map((trial) => trial.trial);
  return new Map([...order, ...rest].map((trial, index) => [trial, index]));
}

/** The sweeps with their trials' entries, and the entries that belong to no sweep. */
export function groupBySweep(entries: readonly RunEntry[], sweeps: readonly SweepRecord[], ticketOf: TicketLookup = () => undefined): { groups: SweepGroup[]; others: RunEntry[] } {
  const trialOfRun = new Map<string, { sweepId: string; trial: number }>();
  for (const sweep of sweeps) {
    for (const trial of sweep.trials) if (trial.runId !== undefined && !trialOfRun.has(trial.runId)) trialOfRun.set(trial.runId, { sweepId: sweep.id, trial: trial.trial });
  }
  const byId = new Map(sweeps.map((sweep) => [sweep.id, { sweep, entries: [] as { entry: RunEntry; trial: number }[] }]));
  const others: RunEntry[] = [];
  for (const entry of entries) {
    const owner = entry.kind === 'run' ? trialOfRun.get(entry.record.id) ?? (entry.training ? ticketOf(entry.training.ticket) : undefined) : ticketOf(entry.training.ticket);
    const group = owner && byId.get(owner.sweepId);
    if (group) group.entries.push({ entry, trial: owner.trial });
    else others.push(entry);
  }
  const groups = sweeps.map((sweep) => {
    const { entries: members } = byId.get(sweep.id)!;
    const rank = trialRank(sweep);
    const position = (trial: number) => rank.get(trial) ?? Number.MAX_SAFE_INTEGER;
    members.sort((a, b) => position(a.trial) - position(b.trial) || a.trial - b.trial);
    return { key: `sweep:${sweep.id}`, sweep, entries: members.map((member) => member.entry) };
  });
  return { groups, others };
}

function createdMs(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * The ungrouped view's top level: runs waiting in the queue first, then sweeps and runs together, newest
 * first (a sweep by when it was created).
 */
export function topLevelItems(groups: readonly SweepGroup[], others: readonly RunEntry[]): TopLevelItem[] {
  const sorted = sortRuns(others);
  const queued = sorted.filter((entry) => entry.kind === 'queued').map((entry): TopLevelItem => ({ kind: 'run', entry }));
  const dated: { ms: number; item: TopLevelItem }[] = [
    ...sorted.filter((entry) => entry.kind === 'run').map((entry) => ({ ms: entry.kind === 'run' ? createdMs(entry.record.createdAt) : 0, item: { kind: 'run', entry } as TopLevelItem })),
    ...groups.map((group) => ({ ms: createdMs(group.sweep.createdAt), item: { kind: 'sweep', group } as TopLevelItem })),
  ];
  // A stable sort keeps the runs' own order among equal times.
  dated.sort((a, b) => b.ms - a.ms);
  return [...queued, ...dated.map((d) => d.item)];
}
