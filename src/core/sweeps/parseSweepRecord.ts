// Reads a sweep.json value: checks the fields every reader relies on and drops malformed trials' extras.
import { SWEEP_SCHEMA_VERSION, type SweepRecord, type SweepStatus, type TrialRecord, type TrialStatus } from './sweepRecord';

const SWEEP_STATUSES: readonly SweepStatus[] = ['queued', 'running', 'completed', 'cancelled', 'failed', 'interrupted'];
const TRIAL_STATUSES: readonly TrialStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];

export type ParsedSweepRecord = { ok: true; record: SweepRecord } | { ok: false; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseTrial(raw: unknown): TrialRecord | undefined {
  if (!isObject(raw) || !Number.isInteger(raw.trial) || !isObject(raw.params)) return undefined;
  if (typeof raw.status !== 'string' || !(TRIAL_STATUSES as readonly string[]).includes(raw.status)) return undefined;
  const trial = { ...raw } as unknown as TrialRecord;
  if (!Number.isInteger(trial.epochs)) trial.epochs = 0;
  for (const key of ['valAcc', 'valLoss', 'value', 'lastEpoch', 'rung', 'promotedFrom'] as const) {
    if (!isFiniteNumber(trial[key])) delete trial[key];
  }
  for (const key of ['runId', 'startedAt', 'endedAt', 'error'] as const) {
    if (typeof trial[key] !== 'string') delete trial[key];
  }
  return trial;
}

/** The folder name is the sweep's id, whatever sweep.json says. */
export function parseSweepRecord(raw: unknown, folderId: string): ParsedSweepRecord {
  if (!isObject(raw)) return { ok: false, reason: 'sweep.json does not hold a JSON object' };
  if (typeof raw.status !== 'string' || !(SWEEP_STATUSES as readonly string[]).includes(raw.status)) {
    return { ok: false, reason: `sweep.json has an unknown status ${JSON.stringify(raw.status)}` };
  }
  const spec = raw.spec;
  if (!isObject(spec) || !isObject(spec.base) || !isObject(spec.space) || typeof spec.method !== 'string') {
    return { ok: false, reason: 'sweep.json has no valid spec (base, method, space)' };
  }
  if (typeof raw.runsDir !== 'string' || raw.runsDir.length === 0) return { ok: false, reason: 'sweep.json does not say where its runs are (runsDir)' };
  if (!Array.isArray(raw.trials)) return { ok: false, reason: 'sweep.json has no trials list' };
  const trials: TrialRecord[] = [];
  for (const [i, item] of raw.trials.entries()) {
    const trial = parseTrial(item);
    if (!trial) return { ok: false, reason: `sweep.json's trial ${i + 1} is malformed` };
    trials.push(trial);
  }
  const createdAt = typeof raw.createdAt === 'string' ? raw.createdAt : new Date(0).toISOString();
  const record: SweepRecord = {
    ...(raw as unknown as SweepRecord),
    schemaVersion: isFiniteNumber(raw.schemaVersion) ? raw.schemaVersion : SWEEP_SCHEMA_VERSION,
    id: folderId,
    name: typeof raw.name === 'string' && raw.name.length > 0 ? raw.name : folderId,
    createdAt,
    updatedAt: typeof raw.updatedAt === 'string' ? raw.updatedAt : createdAt,
    elapsedMs: isFiniteNumber(raw.elapsedMs) ? raw.elapsedMs : 0,
    trials,
  };
  if (!isObject(record.process) || !isFiniteNumber(record.process.pid) || typeof record.process.hostname !== 'string') delete record.process;
  if (!Array.isArray(record.importance)) delete record.importance;
  if (!isObject(record.best)) delete record.best;
  return { ok: true, record };
}
