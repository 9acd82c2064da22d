// Batch normalisation on the wasm backend: tfjs-layers' batchNormalization against our BatchNorm layer,
// a training step (forward, backward, moving averages) on the shapes the default ResNet feeds it, with the
// kernels that take the time. Not a test: numbers depend on the machine and its load (run both in one go).
//
//   node --import tsx bench/batchNorm.ts [--steps 10]
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../src/core/backend/selectBackend';
import { BatchNorm } from '../src/core/models/layers/batchNorm';

/** [batch, h, w, channels] after each batch norm of the default ResNet on 32x32 images, batch 64. */
const SHAPES: [number, number, number, number][] = [[64, 32, 32, 16], [64, 16, 16, 32], [64, 8, 8, 64], [64, 4, 4, 128]];

const argv = process.argv.slice(2);
const stepsIndex = argv.indexOf('--steps');
const steps = stepsIndex >= 0 ? Number(argv[stepsIndex + 1]) : 10;

interface Measure {
  ms: number;
  kernels: Map<string, number>;
}

async function measure(layer: tfl.layers.Layer, shape: [number, number, number, number]): Promise<Measure> {
  const x = tf.randomNormal(shape);
  const dy = tf.randomNormal(shape);
  layer.apply(x);
  const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, dy)), variables);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, dy)))(x);
    value.dataSync();
    tf.dispose([value, dx, ...Object.values(grads)]);
  };
  step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - start) / steps;
  const profile = await tf.profile(step);
  const kernels = new Map<string, number>();
  for (const k of profile.kernels) kernels.set(k.name, (kernels.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  tf.dispose([x, dy]);
  return { ms, kernels };
}

function top(kernels: Map<string, number>): string {
  return [...kernels.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ');
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  process.stdout.write(`${backend.description}; one training step = forward + gradients for x, gamma, beta (ms, mean of ${steps})\n`);
  process.stdout.write('shape               tfjs-layers   ours   ratio   top kernels (tfjs-layers | ours)\n');
  for (const shape of SHAPES) {
    const theirs = await measure(tfl.layers.batchNormalization({ momentum: 0.9 }), shape);
    const ours = await measure(new BatchNorm({ momentum: 0.9 }), shape);
    process.stdout.write(`${shape.join('x').padEnd(18)}  ${theirs.ms.toFixed(1).padStart(11)}  ${ours.ms.toFixed(1).padStart(5)}  ` +
      `${(theirs.ms / ours.ms).toFixed(1).padStart(5)}x   ${top(theirs.kernels)} | ${top(ours.kernels)}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
