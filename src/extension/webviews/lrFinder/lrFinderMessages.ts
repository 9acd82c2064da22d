// Validates what a "Find Learning Rate" page sends (src/protocol/lrFinderView.ts): its messages, and the
// state it saved for its tab, which comes back after a window reload. The page runs scripts, so both are
// untrusted input: a restored tab shows only what passes here, and starts runs only with a spec that
// passes the same checks as a run read from disk.
import { isOneOf, isPath, isRecord, isShortString, isString } from '../../../core/guards';
import { validateRunSpec } from '../../../core/runSpecDefaults';
import { parseRunSpec } from '../../../core/runs/parseRunSpec';
import { MAX_LR_FINDER_TEXT, parsePoint, parseRangeBounds, parseRangeTest, parseResult } from '../../../processes/lrFinder/lrFinderMessages';
import type { FromLrFinderView, LrFinderStatus, LrFinderTabState, RangeTestPoint } from '../../../protocol/lrFinderView';
import { commonViewParsers, MAX_NAME_CHARS, messageParser } from '../viewMessages';

/** The largest learning rate a run accepts (as the New Training Run picker does). */
export const MAX_LEARNING_RATE = 10;
/** A range test takes at most 10,000 steps (the engine's limit): a saved curve has no more points. */
const MAX_POINTS = 10_000;
/** More warnings than a test ever gives. */
const MAX_WARNINGS = 100;
/** The longest dataset or run folder path accepted (PATH_MAX on Linux). */
const MAX_PATH_CHARS = 4096;
const STATUSES: readonly LrFinderStatus[] = ['running', 'finished', 'failed', 'cancelled', 'interrupted'];

function isRunRate(rate: unknown): rate is number {
  return typeof rate === 'number' && Number.isFinite(rate) && rate > 0 && rate <= MAX_LEARNING_RATE;
}

export const parseFromLrFinderView = messageParser<FromLrFinderView>({
  ready: commonViewParsers.ready,
  export: commonViewParsers.export,
  chooseRate: (raw) => (isRunRate(raw.learningRate) ? { type: 'chooseRate', learningRate: raw.learningRate } : undefined),
  startRun: (raw) => (isRunRate(raw.learningRate) ? { type: 'startRun', learningRate: raw.learningRate } : undefined),
  stop: () => ({ type: 'stop' }),
  searchAgain: () => ({ type: 'searchAgain' }),
  newSearch: () => ({ type: 'newSearch' }),
});

export type ParsedLrFinderTabState = { ok: true; state: LrFinderTabState } | { ok: false; reason: string };

/** Thrown inside the parser only, to stop at the first problem. */
class BadState extends Error {}

function check(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new BadState(reason);
}

function parsePoints(raw: unknown): RangeTestPoint[] {
  check(Array.isArray(raw), 'it has no list of points');
  check(raw.length <= MAX_POINTS, `it holds ${raw.length} points, more than a search makes (${MAX_POINTS})`);
  const points: RangeTestPoint[] = [];
  for (const [index, value] of raw.entries()) {
    const point = parsePoint(value);
    check(point !== undefined && Number.isFinite(point.loss) && Number.isFinite(point.smoothedLoss), `point ${index + 1} is not a step of a search`);
    check(index === 0 || point.step > points[index - 1].step, `point ${index + 1} does not follow the one before it`);
    points.push(point);
  }
  return points;
}

function parseState(raw: unknown): LrFinderTabState {
  check(raw !== undefined && raw !== null, 'its page had saved nothing');
  check(isRecord(raw) && isRecord(raw.search), 'it does not describe a search');
  const parsed = parseRunSpec(raw.search.spec);
  check(parsed.ok, `its search settings are not valid (${parsed.ok ? '' : parsed.reason})`);
  try {
    validateRunSpec(parsed.spec);
  } catch (error) {
    throw new BadState(`its search settings are not valid (${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')})`);
  }
  const { data, training } = parsed.spec;
  check(isShortString(data.path, MAX_PATH_CHARS) && isPath(data.path), 'its dataset path is not valid');
  check(training.initFrom === undefined || (isShortString(training.initFrom, MAX_PATH_CHARS) && isPath(training.initFrom)), 'the run it fine-tunes from is not a valid path');
  const rangeTest = parseRangeTest(raw.search.rangeTest);
  check(rangeTest !== false, 'its range of rates is not valid');

  check(isOneOf(raw.status, STATUSES), 'it does not say how its search stands');
  const status = raw.status;
  const bounds = raw.bounds === undefined ? undefined : parseRangeBounds(raw.bounds);
  check(raw.bounds === undefined || bounds !== undefined, 'its range of rates is not valid');
  const points = parsePoints(raw.points);
  check(bounds === undefined || points.length <= bounds.steps, 'it holds more points than its search has steps');
  const result = raw.result === undefined ? undefined : parseResult(raw.result);
  check(raw.result === undefined || result !== undefined, 'its result is not valid');
  check(result !== undefined || (status !== 'finished' && status !== 'cancelled'), 'it says its search ended but has no result');
  check(raw.error === undefined || (isString(raw.error) && raw.error.length <= MAX_LR_FINDER_TEXT), 'its error is not valid');
  check(raw.error !== undefined || status !== 'failed', 'it says its search failed but not why');
  const warnings = raw.warnings;
  check(Array.isArray(warnings) && warnings.length <= MAX_WARNINGS && warnings.every((w) => isString(w) && w.length <= MAX_LR_FINDER_TEXT), 'its warnings are not valid');
  check(raw.startedRun === undefined || isShortString(raw.startedRun, MAX_NAME_CHARS), 'the run it started is not valid');
  check(raw.chosenRate === undefined || isRunRate(raw.chosenRate), `its chosen rate is not a learning rate a run accepts (a positive number up to ${MAX_LEARNING_RATE})`);
  return {
    search: { spec: parsed.spec, ...(rangeTest ? { rangeTest } : {}) },
    status, points, warnings: warnings as string[],
    ...(bounds ? { bounds } : {}),
    ...(result ? { result } : {}),
    ...(raw.error !== undefined ? { error: raw.error as string } : {}),
    ...(raw.startedRun !== undefined ? { startedRun: raw.startedRun as string } : {}),
    ...(raw.chosenRate !== undefined ? { chosenRate: raw.chosenRate as number } : {}),
  };
}

/**
 * A Find Learning Rate tab's saved state, with exactly the fields the tab uses (unknown ones dropped), or
 * what is wrong with it, for the tab to say instead (e.g. "its chosen rate is not a learning rate a run
 * accepts"). The spec is parsed to full depth and its ranges checked, as for a run read from disk.
 */
export function parseLrFinderTabState(raw: unknown): ParsedLrFinderTabState {
  try {
    return { ok: true, state: parseState(raw) };
  } catch (error) {
    if (error instanceof BadState) return { ok: false, reason: error.message };
    throw error;
  }
}
