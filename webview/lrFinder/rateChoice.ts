// The learning rate a run starts with, as the Find Learning Rate tab offers it: the suggestion rounded to
// two significant digits, a rate typed by the user, or one picked on the chart.

/** The largest learning rate a run accepts. */
export const MAX_RATE = 10;

/** Two significant digits: 0.0031622 -> 0.0032 (the finder's resolution does not justify more). */
export function roundRate(rate: number): number {
  return Number(rate.toPrecision(2));
}

/** The rate in `text`, or a message saying what is wrong with it. */
export function parseRate(text: string): { rate: number } | { problem: string } {
  const trimmed = text.trim();
  const rate = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE) {
    return { problem: `A learning rate is a positive number up to ${MAX_RATE}, e.g. 0.003 or 3e-3.` };
  }
  return { rate };
}

/** How a rate reads: plain decimals down to 0.001, exponent notation below. */
export function rateText(rate: number): string {
  return rate >= 1e-3 ? String(rate) : rate.toExponential().replace(/\.?0+e/, 'e');
}
