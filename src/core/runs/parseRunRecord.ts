// Reads a run.json value to its full depth, once, for every consumer: a record whose every field has its
// declared type (unknown top-level fields kept, malformed optional ones dropped), or the reason it is unreadable.
import { DATASET_FORMATS, MODEL_KINDS, type ResolvedDatasetFormat } from '../runSpec';
import type { RunStatus } from '../train/trainingEvents';
import {
  isFiniteNumber, isFraction, isImageShape, isNumberArray, isObject, isOneOf, isString, isStringArray, isTime,
  isWholeNumber, type JsonObject,
} from './jsonGuards';
import { parseRunSpec } from './parseRunSpec';
import {
  RUN_SCHEMA_VERSION, type ClassCounts, type RunDatasetInfo, type RunInitSource, type RunModelInfo, type RunProcessInfo,
  type RunRecord, type RunSlurmJob, type RunSummary,
} from './runRecord';

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];

const RESOLVED_FORMATS = DATASET_FORMATS.filter((f): f is ResolvedDatasetFormat => f !== 'auto');

export type ParsedRunRecord = { ok: true; record: RunRecord } | { ok: false; reason: string };

function parseClassCounts(raw: unknown, classCount: number): ClassCounts | undefined {
  if (!isObject(raw)) return undefined;
  const counts = (v: unknown) => isNumberArray(v, (n) => isWholeNumber(n)) && v.length === classCount;
  return counts(raw.train) && counts(raw.val) && counts(raw.test)
    ? { train: raw.train as number[], val: raw.val as number[], test: raw.test as number[] }
    : undefined;
}

/** The dataset block when every field a viewer reads is there with its type; else undefined. */
function parseDataset(raw: unknown): RunDatasetInfo | undefined {
  if (!isObject(raw)) return undefined;
  const { format, root, classes, imageShape, trainCount, valCount, testCount } = raw;
  if (!isOneOf(format, RESOLVED_FORMATS) || !isString(root) || !isStringArray(classes) || classes.length === 0 ||
    !isImageShape(imageShape) || !isWholeNumber(trainCount) || !isWholeNumber(valCount) || !isWholeNumber(testCount)) {
    return undefined;
  }
  const dataset: RunDatasetInfo = { format, root, classes: [...classes], imageShape: [...imageShape], trainCount, valCount, testCount };
  const classCounts = parseClassCounts(raw.classCounts, classes.length);
  if (classCounts) dataset.classCounts = classCounts;
  if (isWholeNumber(raw.skipped)) dataset.skipped = raw.skipped;
  if (typeof raw.streamed === 'boolean') dataset.streamed = raw.streamed;
  return dataset;
}

function parseModelInfo(raw: unknown): RunModelInfo | undefined {
  return isObject(raw) && isOneOf(raw.kind, MODEL_KINDS) && isWholeNumber(raw.parameterCount)
    ? { kind: raw.kind, parameterCount: raw.parameterCount }
    : undefined;
}

function parseProcess(raw: unknown): RunProcessInfo | undefined {
  if (!isObject(raw) || !isWholeNumber(raw.pid, 1) || !isString(raw.hostname)) return undefined;
  const info: RunProcessInfo = { pid: raw.pid, hostname: raw.hostname };
  if (isString(raw.claim)) info.claim = raw.claim;
  return info;
}

function parseSlurmJob(raw: unknown): RunSlurmJob | undefined {
  if (!isObject(raw) || !isString(raw.jobId) || !isString(raw.script) || !isTime(raw.submittedAt)) return undefined;
  const job: RunSlurmJob = { jobId: raw.jobId, submittedAt: raw.submittedAt, script: raw.script };
  if (isString(raw.state)) job.state = raw.state;
  if (Array.isArray(raw.previousJobIds)) job.previousJobIds = raw.previousJobIds.filter(isString);
  return job;
}

function parseInitSource(raw: unknown): RunInitSource | undefined {
  if (!isObject(raw) || !isString(raw.runId) || !isString(raw.runDir) || !isString(raw.name) || typeof raw.headReplaced !== 'boolean') return undefined;
  const source: RunInitSource = { runId: raw.runId, runDir: raw.runDir, name: raw.name, headReplaced: raw.headReplaced };
  if (isFraction(raw.bestValAcc)) source.bestValAcc = raw.bestValAcc;
  return source;
}

/**
 * Known summary fields with their types; the rest dropped. A run without a validation split written
 * before training accuracy had its own fields (bestValAcc then held training accuracy) reads with
 * bestTrainAcc/bestTrainLoss, as such a run is written now.
 */
function parseSummary(raw: unknown, specEpochs: number, dataset: RunDatasetInfo | undefined): RunSummary {
  const source: JsonObject = isObject(raw) ? raw : {};
  const summary: RunSummary = { epochs: isWholeNumber(source.epochs) ? source.epochs : specEpochs };
  if (isWholeNumber(source.bestEpoch, 1)) summary.bestEpoch = source.bestEpoch;
  if (isFraction(source.bestValAcc)) summary.bestValAcc = source.bestValAcc;
  if (isFiniteNumber(source.bestValLoss)) summary.bestValLoss = source.bestValLoss;
  if (isFraction(source.bestTrainAcc)) summary.bestTrainAcc = source.bestTrainAcc;
  if (isFiniteNumber(source.bestTrainLoss)) summary.bestTrainLoss = source.bestTrainLoss;
  if (isWholeNumber(source.lastEpoch)) summary.lastEpoch = source.lastEpoch;
  if (isFraction(source.testAcc)) summary.testAcc = source.testAcc;
  if (isFiniteNumber(source.imagesPerSecond) && source.imagesPerSecond >= 0) summary.imagesPerSecond = source.imagesPerSecond;
  if (isFiniteNumber(source.durationMs) && source.durationMs >= 0) summary.durationMs = source.durationMs;
  if (isWholeNumber(source.peakRssBytes, 1)) summary.peakRssBytes = source.peakRssBytes;
  if (dataset?.valCount === 0 && summary.bestTrainAcc === undefined && summary.bestValAcc !== undefined) {
    summary.bestTrainAcc = summary.bestValAcc;
    if (summary.bestValLoss !== undefined) summary.bestTrainLoss = summary.bestValLoss;
    delete summary.bestValAcc;
    delete summary.bestValLoss;
  }
  return summary;
}

/**
 * Validates run.json to its full depth. Required: a known status, a valid creation time and a complete
 * spec (the first bad spec field is named). Optional blocks (dataset, model, process...) are kept only
 * when complete and well-typed. The folder name is the run's id even if run.json says otherwise (a
 * copied or renamed folder).
 */
export function parseRunRecord(raw: unknown, folderId: string): ParsedRunRecord {
  if (!isObject(raw)) return { ok: false, reason: 'run.json does not hold a JSON object' };
  const schemaVersion = isFiniteNumber(raw.schemaVersion) ? raw.schemaVersion : RUN_SCHEMA_VERSION;
  const newer = schemaVersion > RUN_SCHEMA_VERSION ? ` (written by a newer Classifier Lab, schema ${schemaVersion})` : '';
  const status = raw.status;
  if (!isOneOf(status, RUN_STATUSES)) {
    return { ok: false, reason: `run.json has an unknown status ${JSON.stringify(status)?.slice(0, 40) ?? 'undefined'}${newer}` };
  }
  const createdAt = [raw.createdAt, raw.startedAt, raw.updatedAt].find(isTime);
  if (createdAt === undefined) return { ok: false, reason: `run.json has no valid createdAt time${newer}` };
  const spec = parseRunSpec(raw.spec);
  if (!spec.ok) return { ok: false, reason: `run.json has no valid spec: ${spec.reason}${newer}` };

  const dataset = parseDataset(raw.dataset);
  const record: RunRecord = {
    ...raw,
    schemaVersion,
    id: folderId,
    name: isString(raw.name) && raw.name.trim().length > 0 ? raw.name : folderId,
    status,
    createdAt,
    updatedAt: isTime(raw.updatedAt) ? raw.updatedAt : createdAt,
    spec: spec.spec,
    summary: parseSummary(raw.summary, spec.spec.training.epochs, dataset),
  };
  const optional = (key: keyof RunRecord, value: unknown) => {
    if (value === undefined) delete record[key];
    else (record as unknown as JsonObject)[key] = value;
  };
  optional('startedAt', isTime(raw.startedAt) ? raw.startedAt : undefined);
  optional('endedAt', isTime(raw.endedAt) ? raw.endedAt : undefined);
  optional('dataset', dataset);
  optional('model', parseModelInfo(raw.model));
  optional('backend', isString(raw.backend) ? raw.backend : undefined);
  optional('backendFallbackReason', isString(raw.backendFallbackReason) ? raw.backendFallbackReason : undefined);
  optional('threads', isWholeNumber(raw.threads, 1) ? raw.threads : undefined);
  optional('error', isString(raw.error) ? raw.error : undefined);
  optional('process', parseProcess(raw.process));
  optional('resumedFrom', isWholeNumber(raw.resumedFrom) ? raw.resumedFrom : undefined);
  optional('slurm', parseSlurmJob(raw.slurm));
  optional('initFrom', parseInitSource(raw.initFrom));
  optional('notes', isString(raw.notes) ? raw.notes : undefined);
  optional('tags', Array.isArray(raw.tags) ? raw.tags.filter(isString) : undefined);
  return { ok: true, record };
}
