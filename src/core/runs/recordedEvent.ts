// A line of metrics.jsonl: a TrainingEvent, minus the confusion matrices (kept in confusion/ files so lines stay small).
import type { EpochEndEvent, LogEvent, TestEndEvent, TrainingEvent } from '../train/trainingEvents';

/** epochEnd as stored: the matrix is in confusion/epoch-NNNN.json; per-class metrics stay for per-class charts. */
export type RecordedEpochEnd = Omit<EpochEndEvent, 'confusion'>;
/** testEnd as stored: the matrix is in confusion/test.json. */
export type RecordedTestEnd = Omit<TestEndEvent, 'confusion'>;

/** Log events go to trainer.log, not to metrics.jsonl. */
export type RecordedEvent = Exclude<TrainingEvent, EpochEndEvent | TestEndEvent | LogEvent> | RecordedEpochEnd | RecordedTestEnd;

const RECORDED_TYPES: ReadonlySet<string> = new Set(['runStart', 'batchEnd', 'epochEnd', 'testEnd', 'runEnd']);

/** The line to store for `event`, or undefined for events that are not stored in metrics.jsonl. */
export function toRecordedEvent(event: TrainingEvent): RecordedEvent | undefined {
  switch (event.type) {
    case 'epochEnd':
    case 'testEnd': {
      const { confusion: _confusion, ...rest } = event;
      return rest;
    }
    case 'log':
      return undefined;
    default:
      return event;
  }
}

export interface ParsedMetrics {
  events: RecordedEvent[];
  /** Complete lines that were not JSON or not a known event (a crash's leftovers, or a newer version's event). */
  skippedLines: number;
}

/**
 * Parses complete metrics.jsonl lines. Each line is checked only for a known `type`: the file is ours,
 * and a crash can at worst cut the last line, which the caller leaves out.
 */
export function parseMetricsLines(lines: Iterable<string>): ParsedMetrics {
  const events: RecordedEvent[] = [];
  let skippedLines = 0;
  for (const line of lines) {
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skippedLines += 1;
      continue;
    }
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof value === 'object' && value !== null && typeof type === 'string' && RECORDED_TYPES.has(type)) {
      events.push(value as RecordedEvent);
    } else {
      skippedLines += 1;
    }
  }
  return { events, skippedLines };
}
