// `classifier-lab lr-find`: the learning-rate range test on a dataset and model, with the train command's flags.
import { findLearningRate } from '../core/findLearningRate';
import type { RangeTestPoint } from '../core/train/learningRateFinder';
import { numberFlag } from './flagValues';
import { parseTrainArgs } from './parseTrainArgs';
import { UsageError } from './usageError';

export const LR_FIND_USAGE = `classifier-lab lr-find --data PATH [train options] [--steps N] [--min-lr X] [--max-lr X] [--json]`;

const EXTRA_OPTIONS = { steps: { type: 'string' }, 'min-lr': { type: 'string' }, 'max-lr': { type: 'string' } } as const;
const PLOT_ROWS = 24;
const PLOT_WIDTH = 40;

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Every k-th point as a text plot: rate, smoothed loss, and a bar as long as the loss. */
function plot(points: RangeTestPoint[], suggested: number | null): string {
  const every = Math.max(1, Math.ceil(points.length / PLOT_ROWS));
  const shown = points.filter((_, i) => i % every === 0 || i === points.length - 1);
  const losses = shown.map((p) => p.smoothedLoss);
  const [low, high] = [Math.min(...losses), Math.max(...losses)];
  const distance = (p: RangeTestPoint) => (suggested === null ? Infinity : Math.abs(Math.log(p.rate / suggested)));
  const nearest = shown.reduce((best, p) => (distance(p) < distance(best) ? p : best), shown[0]);
  const lines = ['rate        smoothed loss'];
  for (const point of shown) {
    const bar = '#'.repeat(1 + Math.round(((point.smoothedLoss - low) / (high - low || 1)) * (PLOT_WIDTH - 1)));
    const mark = suggested !== null && point === nearest ? '  <- suggested' : '';
    lines.push(`${point.rate.toExponential(2).padEnd(10)}  ${point.smoothedLoss.toFixed(4).padStart(9)}  ${bar}${mark}`);
  }
  return lines.join('\n') + '\n';
}

export async function lrFind(args: string[]): Promise<number> {
  const command = await parseTrainArgs(args, process.cwd(), EXTRA_OPTIONS);
  if (command.savePreset) throw new UsageError('--save-preset belongs to train, not lr-find.');
  if (!command.spec.data.path) throw new UsageError('lr-find needs --data PATH.');
  const extra = command.extra as Record<string, string | undefined>;
  const rangeTest = {
    ...(extra.steps !== undefined ? { steps: numberFlag('steps', extra.steps, 0, true) } : {}),
    ...(extra['min-lr'] !== undefined ? { minRate: numberFlag('min-lr', extra['min-lr'], 0, false) } : {}),
    ...(extra['max-lr'] !== undefined ? { maxRate: numberFlag('max-lr', extra['max-lr'], 0, false) } : {}),
  };
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let shown = 0;
  const finding = await findLearningRate({
    spec: command.spec, rangeTest, backend: command.backend, signal: controller.signal,
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    onPoint: (point) => {
      if (command.json) printJson({ type: 'lrPoint', ...point });
      else if (point.step >= shown) {
        shown += 10;
        process.stderr.write(`\rstep ${point.step + 1}: rate ${point.rate.toExponential(2)}, loss ${point.smoothedLoss.toFixed(4)}   `);
      }
    },
  });
  const end = {
    type: 'lrFindEnd', end: finding.end, suggestedRate: finding.suggestedRate, minimumRate: finding.minimumRate,
    steps: finding.points.length, minRate: finding.options.minRate, maxRate: finding.options.maxRate,
  };
  if (command.json) {
    printJson(end);
  } else {
    process.stderr.write('\n');
    process.stdout.write(plot(finding.points, finding.suggestedRate));
    const why = { completed: 'all steps done', diverged: 'stopped when the loss diverged', cancelled: 'cancelled' }[finding.end];
    process.stdout.write(`${finding.points.length} steps from ${finding.options.minRate} (${why}).\n`);
    if (finding.suggestedRate !== null) {
      process.stdout.write(`Suggested learning rate: ${finding.suggestedRate.toPrecision(2)} (the loss fell fastest there; ` +
        `it was lowest at ${finding.minimumRate!.toPrecision(2)}).\nStart a run with it: add --learning-rate ${finding.suggestedRate.toPrecision(2)} to your train command.\n`);
    } else {
      process.stdout.write('No suggestion: the loss did not fall. Try a lower --min-lr or more --steps.\n');
    }
  }
  if (finding.end === 'cancelled') return 130;
  return finding.points.length > 0 ? 0 : 1;
}
