// Validates both directions of the learning-rate finder's IPC channel (src/protocol/lrFinder.ts): each side
// is untrusted input to the other. The parsers of its parts (a point, a result, the bounds) also check a
// Find Learning Rate tab's saved state.
import { hasNumbers, isOneOf, isRecord, isString } from '../../core/guards';
import type { RunSpec } from '../../core/runSpec';
import type { FromLrFinder, LearningRateResult, RangeTestPoint, RangeTestRequest, ToLrFinder } from '../../protocol/lrFinder';
import type { BackendChoice } from '../../protocol/trainer';

const BACKENDS: readonly BackendChoice[] = ['auto', 'native', 'wasm'];
const ENDS: readonly LearningRateResult['end'][] = ['completed', 'diverged', 'cancelled'];
/** The longest warning or error text accepted. */
export const MAX_LR_FINDER_TEXT = 10_000;

function isRunSpecShape(value: unknown): value is RunSpec {
  return isRecord(value) && isRecord(value.data) && isRecord(value.model) && isRecord(value.training) && isRecord(value.augment);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function rateOrNull(value: unknown): value is number | null {
  return value === null || (finite(value) && value > 0);
}

/** The requested bounds; undefined when absent, false when malformed. */
export function parseRangeTest(value: unknown): RangeTestRequest | undefined | false {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return false;
  const out: RangeTestRequest = {};
  for (const key of ['minRate', 'maxRate', 'steps'] as const) {
    const field = value[key];
    if (field === undefined) continue;
    if (!finite(field) || field <= 0) return false;
    out[key] = field;
  }
  return out;
}

/** The message, or undefined when it is not one a finder understands. The spec's values are validated by the engine. */
export function parseToLrFinder(raw: unknown): ToLrFinder | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === 'stop') return { type: 'stop' };
  if (raw.type !== 'start' || !isRunSpecShape(raw.spec) || !isOneOf(raw.backend, BACKENDS)) return undefined;
  const rangeTest = parseRangeTest(raw.rangeTest);
  if (rangeTest === false) return undefined;
  return { type: 'start', spec: raw.spec, backend: raw.backend, ...(rangeTest ? { rangeTest } : {}) };
}

/** One step of a range test: a whole step number, a positive finite rate, numeric losses. */
export function parsePoint(value: unknown): RangeTestPoint | undefined {
  if (!isRecord(value) || !hasNumbers(value, ['step', 'rate', 'loss', 'smoothedLoss'])) return undefined;
  const { step, rate, loss, smoothedLoss } = value as unknown as RangeTestPoint;
  if (!Number.isSafeInteger(step) || step < 0 || !(rate > 0) || !Number.isFinite(rate)) return undefined;
  return { step, rate, loss, smoothedLoss };
}

/** How a test ended: its end, the suggested and lowest-loss rates (or null), its counts and backend. */
export function parseResult(value: unknown): LearningRateResult | undefined {
  if (!isRecord(value) || !isOneOf(value.end, ENDS) || !rateOrNull(value.suggestedRate) || !rateOrNull(value.minimumRate)) return undefined;
  if (!hasNumbers(value, ['steps', 'minRate', 'maxRate', 'trainCount']) || !isString(value.backend) || value.backend.length > MAX_LR_FINDER_TEXT) return undefined;
  return {
    end: value.end, suggestedRate: value.suggestedRate, minimumRate: value.minimumRate, steps: value.steps as number,
    minRate: value.minRate as number, maxRate: value.maxRate as number, trainCount: value.trainCount as number, backend: value.backend,
  };
}

/** The bounds a test sweeps: 0 < minRate < maxRate, a whole number of steps. */
export function parseRangeBounds(value: unknown): { minRate: number; maxRate: number; steps: number } | undefined {
  if (!isRecord(value) || !hasNumbers(value, ['minRate', 'maxRate', 'steps'])) return undefined;
  const { minRate, maxRate, steps } = value as { minRate: number; maxRate: number; steps: number };
  return minRate > 0 && maxRate > minRate && Number.isFinite(maxRate) && Number.isSafeInteger(steps) ? { minRate, maxRate, steps } : undefined;
}

/** The message, or undefined when it is not one the extension understands. */
export function parseFromLrFinder(raw: unknown): FromLrFinder | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'started': {
      const bounds = parseRangeBounds(raw);
      return bounds ? { type: 'started', ...bounds } : undefined;
    }
    case 'point': {
      const point = parsePoint(raw.point);
      return point ? { type: 'point', point } : undefined;
    }
    case 'warning':
      return isString(raw.message) && raw.message.length <= MAX_LR_FINDER_TEXT ? { type: 'warning', message: raw.message } : undefined;
    case 'finished': {
      const result = parseResult(raw.result);
      return result ? { type: 'finished', result } : undefined;
    }
    case 'failed':
      return isString(raw.error) && raw.error.length <= MAX_LR_FINDER_TEXT ? { type: 'failed', error: raw.error } : undefined;
    default:
      return undefined;
  }
}
