// The residual classifier: a small ResNet in the style of the fast CIFAR-10 recipes (ResNet-9, airbench).
import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageShape, ResnetOptions } from '../runSpec';
import { RunSpecError } from '../runSpecDefaults';
import { checkModelInputs, checkPositiveInt } from './checkModelInputs';
import { inputDownsampling } from './inputDownsampling';
import { BatchNorm } from './layers/batchNorm';
import { Scale } from './layers/scale';
import { registerModelLayers } from './registerModelLayers';

type Symbolic = tfl.SymbolicTensor;

const KERNEL = 3;

/** The stem's stride for images of this side: 1 up to 47 px, then about side / 32 (64 -> 2, 96 -> 3, 128 -> 4). */
export function stemStride(side: number): number {
  return inputDownsampling(side);
}

/**
 * stem: conv(stemWidth, stride s) - BN - ReLU
 * each stage i: conv3x3(widths[i]) - maxpool 2x2 - BN - ReLU, then blocks[i] times
 *   x + ReLU(BN(conv3x3(ReLU(BN(conv3x3(x))))))
 * head: global max-pool - x headScale - dense(classes, softmax)
 * Pooling before the batch norm (as airbench does) normalises a quarter of the values. Convolutions have
 * no bias (the batch norm that follows has one). Input [batch, h, w, c] floats in [0, 1].
 */
export function createResnet(options: ResnetOptions, inputShape: ImageShape, numClasses: number): tfl.LayersModel {
  checkModelInputs(inputShape, numClasses);
  const { stemWidth, widths, blocks, headScale, bnMomentum } = options;
  checkPositiveInt(stemWidth, 'ResNet stem width');
  if (widths.length === 0) throw new RunSpecError('The ResNet needs at least one stage (widths is empty).');
  widths.forEach((w, i) => checkPositiveInt(w, `ResNet widths[${i}]`));
  if (!Array.isArray(blocks) || blocks.length !== widths.length) {
    throw new RunSpecError(`The ResNet needs one residual block count per stage (${widths.length} widths, ${blocks?.length ?? 0} block counts).`);
  }
  blocks.forEach((b, i) => {
    if (!Number.isInteger(b) || b < 0 || b > 16) throw new RunSpecError(`ResNet blocks[${i}] must be a whole number from 0 to 16 (got ${b}).`);
  });
  if (!(Number.isFinite(headScale) && headScale > 0 && headScale <= 10)) {
    throw new RunSpecError(`The ResNet head scale must be a positive number no larger than 10 (got ${headScale}).`);
  }
  if (!(Number.isFinite(bnMomentum) && bnMomentum >= 0 && bnMomentum < 1)) {
    throw new RunSpecError(`The batch-norm momentum must be in [0, 1) (got ${bnMomentum}).`);
  }
  const [h, w] = inputShape;
  const stride = stemStride(Math.min(h, w));
  const side = Math.ceil(Math.min(h, w) / stride);
  const needed = 2 ** widths.length;
  if (side < needed) {
    throw new RunSpecError(
      `Images of ${h}x${w} are too small for a ResNet with ${widths.length} stages: each stage halves the side, ` +
      `so it needs at least ${needed * stride}x${needed * stride} pixels. Use a larger image size or fewer stages.`);
  }
  registerModelLayers();

  const conv = (x: Symbolic, filters: number, name: string, strides = 1, kernelSize = KERNEL) =>
    tfl.layers.conv2d({
      filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal', name,
    }).apply(x) as Symbolic;
  const norm = (x: Symbolic, name: string) => new BatchNorm({ momentum: bnMomentum, name }).apply(x) as Symbolic;
  const relu = (x: Symbolic, name: string) => tfl.layers.reLU({ name }).apply(x) as Symbolic;

  const input = tfl.input({ shape: inputShape, name: 'image' });
  // A kernel at least as large as the stride, so no pixel is skipped (4x4 stride 4 for 128 px images).
  let x = conv(input, stemWidth, 'stem_conv', stride, Math.max(KERNEL, stride));
  x = relu(norm(x, 'stem_norm'), 'stem_relu');
  widths.forEach((width, i) => {
    const stage = `stage${i + 1}`;
    x = conv(x, width, `${stage}_conv`);
    x = tfl.layers.maxPooling2d({ poolSize: 2, name: `${stage}_pool` }).apply(x) as Symbolic;
    x = relu(norm(x, `${stage}_norm`), `${stage}_relu`);
    for (let b = 1; b <= blocks[i]; b++) {
      const block = `${stage}_block${b}`;
      let y = relu(norm(conv(x, width, `${block}_conv1`), `${block}_norm1`), `${block}_relu1`);
      y = relu(norm(conv(y, width, `${block}_conv2`), `${block}_norm2`), `${block}_relu2`);
      x = tfl.layers.add({ name: `${block}_add` }).apply([x, y]) as Symbolic;
    }
  });
  x = tfl.layers.globalMaxPooling2d({ name: 'global_max_pool' }).apply(x) as Symbolic;
  x = new Scale({ scale: headScale, name: 'head_scale' }).apply(x) as Symbolic;
  const output = tfl.layers.dense({ units: numClasses, activation: 'softmax', name: 'probabilities' }).apply(x) as Symbolic;
  return tfl.model({ inputs: input, outputs: output, name: 'resnet' });
}
