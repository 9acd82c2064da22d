// A line of metrics.jsonl: a TrainingEvent, minus the confusion matrices (kept in confusion/ files so lines stay small).
import type { EpochEndEvent, LogEvent, TestEndEvent, TrainingEvent } from '../train/trainingEvents';
import { parseRecordedEvent, type EventContext } from './parseTrainingEvent';

/** epochEnd as stored: the matrix is in confusion/epoch-NNNN.json; per-class metrics stay for per-class charts. */
export type RecordedEpochEnd = Omit<EpochEndEvent, 'confusion'>;
/** testEnd as stored: the matrix is in confusion/test.json. */
export type RecordedTestEnd = Omit<TestEndEvent, 'confusion'>;

/** Log events go to trainer.log, not to metrics.jsonl. */
export type RecordedEvent = Exclude<TrainingEvent, EpochEndEvent | TestEndEvent | LogEvent> | RecordedEpochEnd | RecordedTestEnd;

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
  /**
   * Complete lines that were not JSON, not a known event, or a known event with a missing or mistyped
   * field (a crash's leftovers, a hand edit, or a newer version's event).
   */
  skippedLines: number;
}

/**
 * Parses complete metrics.jsonl lines, each validated to its fields (see parseRecordedEvent). `context`
 * says how to read the run's older lines; a runStart line in `lines` updates it for the lines after it.
 */
export function parseMetricsLines(lines: Iterable<string>, context: EventContext = { validated: true }): ParsedMetrics {
  const events: RecordedEvent[] = [];
  let skippedLines = 0;
  let current = context;
  for (const line of lines) {
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skippedLines += 1;
      continue;
    }
    const event = parseRecordedEvent(value, current);
    if (!event) {
      skippedLines += 1;
      continue;
    }
    if (event.type === 'runStart') current = { validated: event.valCount > 0 };
    events.push(event);
  }
  return { events, skippedLines };
}
