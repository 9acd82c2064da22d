// Reads a run.json value leniently: keeps unknown fields, drops malformed optional ones, and names what is missing.
import type { RunSpec } from '../runSpec';
import type { RunStatus } from '../train/trainingEvents';
import { RUN_SCHEMA_VERSION, type RunRecord, type RunSummary } from './runRecord';

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];

export type ParsedRunRecord = { ok: true; record: RunRecord } | { ok: false; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Validates the fields every reader relies on (status, times, spec) and repairs the rest. The folder
 * name is the run's id even if run.json says otherwise (a copied or renamed folder).
 */
export function parseRunRecord(raw: unknown, folderId: string): ParsedRunRecord {
  if (!isObject(raw)) return { ok: false, reason: 'run.json does not hold a JSON object' };
  const schemaVersion = isFiniteNumber(raw.schemaVersion) ? raw.schemaVersion : RUN_SCHEMA_VERSION;
  const newer = schemaVersion > RUN_SCHEMA_VERSION ? ` (written by a newer Classifier Lab, schema ${schemaVersion})` : '';
  const status = raw.status;
  if (typeof status !== 'string' || !(RUN_STATUSES as readonly string[]).includes(status)) {
    return { ok: false, reason: `run.json has an unknown status ${JSON.stringify(status)}${newer}` };
  }
  const createdAt = [raw.createdAt, raw.startedAt, raw.updatedAt].find(isTime);
  if (createdAt === undefined) return { ok: false, reason: `run.json has no valid createdAt time${newer}` };
  const spec = raw.spec;
  if (!isObject(spec) || !isObject(spec.data) || !isObject(spec.model) || !isObject(spec.training)) {
    return { ok: false, reason: `run.json has no valid spec (data, model, training)${newer}` };
  }
  const specEpochs = (spec.training as Record<string, unknown>).epochs;
  const summary: RunSummary = isObject(raw.summary)
    ? { ...raw.summary, epochs: isFiniteNumber(raw.summary.epochs) ? raw.summary.epochs : isFiniteNumber(specEpochs) ? specEpochs : 0 }
    : { epochs: isFiniteNumber(specEpochs) ? specEpochs : 0 };

  const record: RunRecord = {
    ...raw,
    schemaVersion,
    id: folderId,
    name: typeof raw.name === 'string' && raw.name.trim().length > 0 ? raw.name : folderId,
    status: status as RunStatus,
    createdAt,
    updatedAt: isTime(raw.updatedAt) ? raw.updatedAt : createdAt,
    spec: spec as unknown as RunSpec,
    summary,
  };
  // Optional fields of the wrong type would crash a viewer later; drop them now.
  if (!isTime(record.startedAt)) delete record.startedAt;
  if (!isTime(record.endedAt)) delete record.endedAt;
  if (!isObject(record.dataset) || !Array.isArray(record.dataset.classes)) delete record.dataset;
  if (!isObject(record.model)) delete record.model;
  if (typeof record.backend !== 'string') delete record.backend;
  if (!Number.isInteger(record.threads) || (record.threads as number) < 1) delete record.threads;
  if (typeof record.error !== 'string') delete record.error;
  if (!isObject(record.process) || !isFiniteNumber(record.process.pid) || typeof record.process.hostname !== 'string') delete record.process;
  if (!isFiniteNumber(record.resumedFrom)) delete record.resumedFrom;
  if (!isObject(record.slurm) || typeof record.slurm.jobId !== 'string' || typeof record.slurm.script !== 'string') delete record.slurm;
  if (!isObject(record.initFrom) || typeof record.initFrom.runId !== 'string' || typeof record.initFrom.runDir !== 'string' ||
    typeof record.initFrom.name !== 'string') delete record.initFrom;
  if (typeof record.notes !== 'string') delete record.notes;
  if (Array.isArray(record.tags)) record.tags = record.tags.filter((tag): tag is string => typeof tag === 'string');
  else delete record.tags;
  return { ok: true, record };
}
