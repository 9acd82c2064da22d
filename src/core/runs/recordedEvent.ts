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
 * Reads metrics.jsonl one complete line at a time, each validated to its fields (see parseRecordedEvent).
 * `context` says how to read the run's older lines; a runStart line updates it for the lines after it.
 */
export class MetricsLineParser {
  /** Lines that were not JSON, not a known event, or a known event with a bad field. */
  skippedLines = 0;

  constructor(private context: EventContext = { validated: true }) {}

  /** The event on `line`, or undefined for a blank line (not counted) or a bad one (counted in skippedLines). */
  parse(line: string): RecordedEvent | undefined {
    if (line.trim().length === 0) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.skippedLines += 1;
      return undefined;
    }
    const event = parseRecordedEvent(value, this.context);
    if (!event) {
      this.skippedLines += 1;
      return undefined;
    }
    if (event.type === 'runStart') this.context = { validated: event.valCount > 0 };
    return event;
  }
}

/** Parses complete metrics.jsonl lines (see MetricsLineParser). */
export function parseMetricsLines(lines: Iterable<string>, context: EventContext = { validated: true }): ParsedMetrics {
  const parser = new MetricsLineParser(context);
  const events: RecordedEvent[] = [];
  for (const line of lines) {
    const event = parser.parse(line);
    if (event) events.push(event);
  }
  return { events, skippedLines: parser.skippedLines };
}
