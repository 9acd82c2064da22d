// How often parameter importance names the parameter that really drives the metric, over many synthetic
// sweeps of a given size, beside the simplest alternative (the largest |Spearman| correlation).
// A measurement, not a test: it prints a table and asserts nothing.
//
//   node --import tsx bench/importanceAccuracy.ts [--sweeps 100]
import seedrandom from 'seedrandom';
import { parameterImportance, spearman, type ImportanceSample } from '../src/core/sweeps/parameterImportance';

type Params = { learningRate: number; batchSize: number; optimizer: string; dropout: number };

const PARAMS = ['learningRate', 'batchSize', 'optimizer', 'dropout'];

/** Each scenario: the parameter that matters, and the metric (before noise) of a trial. */
const SCENARIOS: { name: string; truth: string; metric: (p: Params) => number }[] = [
  { name: 'learning rate, optimum mid-range', truth: 'learningRate', metric: (p) => 0.9 - 0.1 * Math.abs(Math.log10(p.learningRate) + 3) },
  { name: 'learning rate, monotone', truth: 'learningRate', metric: (p) => 0.9 + 0.04 * Math.log10(p.learningRate) },
  { name: 'optimizer (a name)', truth: 'optimizer', metric: (p) => ({ adam: 0.9, rmsprop: 0.85, sgd: 0.7 })[p.optimizer]! },
  { name: 'dropout, weak, noisy', truth: 'dropout', metric: (p) => 0.8 + 0.1 * p.dropout },
];

function sweep(count: number, seed: number, metric: (p: Params) => number, noise: number): ImportanceSample[] {
  const random = seedrandom(`importance-accuracy:${seed}`);
  return Array.from({ length: count }, () => {
    const params: Params = {
      learningRate: 10 ** (-5 + 4 * random()),
      batchSize: [16, 32, 64, 128][Math.floor(random() * 4)],
      optimizer: ['adam', 'sgd', 'rmsprop'][Math.floor(random() * 3)],
      dropout: random() * 0.5,
    };
    return { params: params as unknown as ImportanceSample['params'], value: metric(params) + (random() - 0.5) * 2 * noise };
  });
}

function topBySpearman(samples: ImportanceSample[]): string {
  let best = '';
  let bestAbs = -1;
  for (const param of PARAMS) {
    const values = samples.map((s) => s.params[param]);
    if (!values.every((v) => typeof v === 'number')) continue;
    const correlation = Math.abs(spearman(values as number[], samples.map((s) => s.value)) ?? 0);
    if (correlation > bestAbs) {
      bestAbs = correlation;
      best = param;
    }
  }
  return best;
}

const sweepsArg = process.argv.indexOf('--sweeps');
const sweeps = sweepsArg > 0 ? Number(process.argv[sweepsArg + 1]) : 100;
console.log(`Share of ${sweeps} synthetic sweeps where the parameter driving the metric is ranked first (noise ±0.01, ±0.03 for the weak one)`);
console.log('scenario'.padEnd(36) + ['trials', 'forest', '|spearman|', 'ms/sweep'].map((h) => h.padStart(11)).join(''));
for (const scenario of SCENARIOS) {
  for (const count of [12, 20, 40]) {
    let forestRight = 0;
    let spearmanRight = 0;
    const start = performance.now();
    for (let s = 0; s < sweeps; s++) {
      const samples = sweep(count, s, scenario.metric, scenario.truth === 'dropout' ? 0.03 : 0.01);
      if (parameterImportance(samples, PARAMS, s)[0].param === scenario.truth) forestRight += 1;
      if (topBySpearman(samples) === scenario.truth) spearmanRight += 1;
    }
    const ms = (performance.now() - start) / sweeps;
    const percent = (right: number) => `${Math.round((right / sweeps) * 100)}%`;
    console.log(scenario.name.padEnd(36) + [String(count), percent(forestRight), percent(spearmanRight), ms.toFixed(0)].map((cell) => cell.padStart(11)).join(''));
  }
}
