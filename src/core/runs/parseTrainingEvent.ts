// Validates a training event read from metrics.jsonl (or received from a trainer process) to its fields:
// every number a chart plots is a finite number, every label a string, or the event is refused.
import { DATASET_FORMATS, type ResolvedDatasetFormat } from '../runSpec';
import type {
  BatchEndEvent, ClassMetrics, EpochEndEvent, LogEvent, RunEndEvent, RunStartEvent, TestEndEvent, TrainingEvent,
} from '../train/trainingEvents';
import {
  isFiniteNumber, isFraction, isImageShape, isMatrix, isObject, isOneOf, isString, isStringArray, isTime, isWholeNumber,
  type JsonObject,
} from './jsonGuards';
import type { RecordedEpochEnd, RecordedEvent, RecordedTestEnd } from './recordedEvent';

const RESOLVED_FORMATS = DATASET_FORMATS.filter((f): f is ResolvedDatasetFormat => f !== 'auto');
const END_STATUSES: readonly RunEndEvent['status'][] = ['completed', 'failed', 'cancelled'];

/** How to read events of a run whose files predate some fields. */
export interface EventContext {
  /**
   * False for a run without a validation split. Files written before training accuracy got its own
   * fields repeated it as valAcc/valLoss; such events read without them (and runEnd's best as trainAcc).
   */
  validated: boolean;
}

function parseClassMetrics(raw: unknown): ClassMetrics[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: ClassMetrics[] = [];
  for (const item of raw) {
    if (!isObject(item) || !isString(item.label) || !isFraction(item.precision) || !isFraction(item.recall) ||
      !isFraction(item.f1) || !isWholeNumber(item.support)) {
      return undefined;
    }
    out.push({ label: item.label, precision: item.precision, recall: item.recall, f1: item.f1, support: item.support });
  }
  return out;
}

/** JSON has no NaN: a learning rate the optimiser could not report was written as null. */
function learningRateOf(value: unknown): number | undefined {
  if (value === null) return Number.NaN;
  return isFiniteNumber(value) && value >= 0 ? value : undefined;
}

function parseRunStart(raw: JsonObject): RunStartEvent | undefined {
  const { time, backend, format, classes, imageShape, trainCount, valCount, testCount, parameterCount, epochs, batchesPerEpoch, startEpoch } = raw;
  if (!isTime(time) || !isString(backend) || !isOneOf(format, RESOLVED_FORMATS) || !isStringArray(classes) || classes.length === 0 ||
    !isImageShape(imageShape) || !isWholeNumber(trainCount) || !isWholeNumber(valCount) || !isWholeNumber(testCount) ||
    !isWholeNumber(parameterCount) || !isWholeNumber(epochs, 1) || !isWholeNumber(batchesPerEpoch) || !isWholeNumber(startEpoch, 1)) {
    return undefined;
  }
  return {
    type: 'runStart', time, backend, format, classes: [...classes], imageShape: [...imageShape], trainCount, valCount, testCount,
    parameterCount, epochs, batchesPerEpoch, startEpoch,
    ...(isWholeNumber(raw.threads, 1) ? { threads: raw.threads } : {}),
  };
}

function parseBatchEnd(raw: JsonObject): BatchEndEvent | undefined {
  const learningRate = learningRateOf(raw.learningRate);
  const { epoch, batch, batchesPerEpoch, loss, acc, imagesPerSecond } = raw;
  if (!isWholeNumber(epoch, 1) || !isWholeNumber(batch, 1) || !isWholeNumber(batchesPerEpoch, 1) || !isFiniteNumber(loss) ||
    !isFraction(acc) || learningRate === undefined || !isFiniteNumber(imagesPerSecond) || imagesPerSecond < 0) {
    return undefined;
  }
  return { type: 'batchEnd', epoch, batch, batchesPerEpoch, loss, acc, learningRate, imagesPerSecond };
}

function parseEpochEnd(raw: JsonObject, context: EventContext): RecordedEpochEnd | undefined {
  const learningRate = learningRateOf(raw.learningRate);
  const perClass = parseClassMetrics(raw.perClass);
  const { time, epoch, loss, acc, imagesPerSecond, durationMs, isBest } = raw;
  if (!isTime(time) || !isWholeNumber(epoch, 1) || !isFiniteNumber(loss) || !isFraction(acc) || learningRate === undefined ||
    !isFiniteNumber(imagesPerSecond) || imagesPerSecond < 0 || !isFiniteNumber(durationMs) || durationMs < 0 ||
    typeof isBest !== 'boolean' || !perClass) {
    return undefined;
  }
  const event: RecordedEpochEnd = { type: 'epochEnd', time, epoch, loss, acc, learningRate, imagesPerSecond, durationMs, perClass, isBest };
  // System metrics (runs recorded before them have none).
  if (isFiniteNumber(raw.cpuPercent) && raw.cpuPercent >= 0) event.cpuPercent = raw.cpuPercent;
  if (isWholeNumber(raw.rssBytes)) event.rssBytes = raw.rssBytes;
  if (isWholeNumber(raw.peakRssBytes)) event.peakRssBytes = raw.peakRssBytes;
  const hasValidation = raw.valLoss !== undefined || raw.valAcc !== undefined;
  if (hasValidation) {
    if (!isFiniteNumber(raw.valLoss) || !isFraction(raw.valAcc)) return undefined;
    if (context.validated) {
      event.valLoss = raw.valLoss;
      event.valAcc = raw.valAcc;
    }
  }
  return event;
}

function parseTestEnd(raw: JsonObject): RecordedTestEnd | undefined {
  const perClass = parseClassMetrics(raw.perClass);
  const { epoch, loss, acc } = raw;
  if (!isWholeNumber(epoch, 1) || !isFiniteNumber(loss) || !isFraction(acc) || !perClass) return undefined;
  return { type: 'testEnd', epoch, loss, acc, perClass };
}

function parseRunEnd(raw: JsonObject, context: EventContext): RunEndEvent | undefined {
  const { time, status, best, testAcc, error } = raw;
  if (!isTime(time) || !isOneOf(status, END_STATUSES)) return undefined;
  if (testAcc !== undefined && !isFraction(testAcc)) return undefined;
  if (error !== undefined && !isString(error)) return undefined;
  let parsedBest: RunEndEvent['best'] = null;
  if (best !== null) {
    if (!isObject(best) || !isWholeNumber(best.epoch, 1)) return undefined;
    if (best.trainAcc !== undefined) {
      if (!isFraction(best.trainAcc)) return undefined;
      parsedBest = { epoch: best.epoch, trainAcc: best.trainAcc };
    } else if (isFraction(best.valAcc)) {
      parsedBest = context.validated ? { epoch: best.epoch, valAcc: best.valAcc } : { epoch: best.epoch, trainAcc: best.valAcc };
    } else {
      return undefined;
    }
  }
  return {
    type: 'runEnd', time, status, best: parsedBest,
    ...(testAcc !== undefined ? { testAcc } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * A metrics.jsonl event with exactly its declared fields, each of its declared type, or undefined.
 * Unknown fields are dropped; confusion matrices are not part of recorded events.
 */
export function parseRecordedEvent(raw: unknown, context: EventContext = { validated: true }): RecordedEvent | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'runStart': return parseRunStart(raw);
    case 'batchEnd': return parseBatchEnd(raw);
    case 'epochEnd': return parseEpochEnd(raw, context);
    case 'testEnd': return parseTestEnd(raw);
    case 'runEnd': return parseRunEnd(raw, context);
    default: return undefined;
  }
}

/** A live training event (as a trainer process sends it): a recorded event plus matrices, or a log line. */
export function parseTrainingEvent(raw: unknown): TrainingEvent | undefined {
  if (!isObject(raw)) return undefined;
  if (raw.type === 'log') {
    const log: LogEvent | undefined = isOneOf(raw.level, ['info', 'warn', 'error'] as const) && isString(raw.message)
      ? { type: 'log', level: raw.level, message: raw.message }
      : undefined;
    return log;
  }
  const event = parseRecordedEvent(raw);
  if (!event) return undefined;
  if (event.type === 'epochEnd' || event.type === 'testEnd') {
    if (!isMatrix(raw.confusion, event.perClass.length)) return undefined;
    const confusion = (raw.confusion as number[][]).map((row) => [...row]);
    return event.type === 'epochEnd' ? { ...event, confusion } as EpochEndEvent : { ...event, confusion } as TestEndEvent;
  }
  return event;
}
