// The convolutional classifier: 3x3 convolutions with max-pooling between them, then a dense head.
import * as tfl from '@tensorflow/tfjs-layers';
import type { CnnOptions, ImageShape } from '../runSpec';
import { RunSpecError } from '../runSpecDefaults';
import { checkDropout, checkModelInputs, checkPositiveInt } from './checkModelInputs';
import { inputDownsampling } from './inputDownsampling';
import { CNN_KERNEL as KERNEL, CNN_POOL as POOL, minimumCnnImageSize } from './minimumImageSize';

/** The first convolution's kernel side at this stride: at least the stride, so no pixel is skipped (4x4 at stride 4). */
function firstKernel(stride: number): number {
  return Math.max(KERNEL, stride);
}

/**
 * Side length left after the stack: each 'valid' convolution trims kernel - 1 pixels (the first one,
 * strided, keeps floor((size - kernel) / stride) + 1), each 2x2 pool halves (floor).
 */
function sizeAfterStack(size: number, convolutions: number, stride = 1): number {
  let s = size;
  for (let i = 0; i < convolutions; i++) {
    const kernel = i === 0 ? firstKernel(stride) : KERNEL;
    s = i === 0 ? Math.floor((s - kernel) / stride) + 1 : s - (kernel - 1);
    if (s < 1) return 0;
    if (i < convolutions - 1) s = Math.floor(s / POOL);
    if (s < 1) return 0;
  }
  return s;
}

/**
 * The first convolution's stride: about side / 32 for images of 48 px and more, so the stack costs about
 * what it costs on 32x32 images (its dense head sees a few pixels square, not 28x28 at 128 px); smaller
 * when a deep stack would otherwise run out of pixels.
 */
export function cnnStride(side: number, convolutions: number): number {
  for (let stride = inputDownsampling(side); stride > 1; stride--) {
    if (sizeAfterStack(side, convolutions, stride) >= 1) return stride;
  }
  return 1;
}

/**
 * With the default options (filters [32, 64, 64], dense 64, no dropout) this is the classic Keras
 * tutorial net: Conv32-Pool-Conv64-Pool-Conv64-Flatten-Dense64-Dense(classes), 122,570 parameters
 * for 32x32x3 images and 10 classes. On images of 48 px and more the first convolution is strided
 * (cnnStride): 64, 96 and 128 px images cost about what 32 px ones do.
 * Input [batch, h, w, c] floats in [0, 1]; output softmax [batch, classes].
 */
export function createCnn(options: CnnOptions, inputShape: ImageShape, numClasses: number): tfl.LayersModel {
  checkModelInputs(inputShape, numClasses);
  const { filters, denseUnits, dropout } = options;
  if (filters.length === 0) throw new RunSpecError('The CNN needs at least one convolution (filters is empty).');
  filters.forEach((f, i) => checkPositiveInt(f, `CNN filters[${i}]`));
  checkPositiveInt(denseUnits, 'CNN dense units');
  checkDropout(dropout);
  const [h, w] = inputShape;
  if (sizeAfterStack(Math.min(h, w), filters.length) < 1) {
    const min = minimumCnnImageSize(filters.length);
    throw new RunSpecError(
      `Images of ${h}x${w} are too small for a CNN with ${filters.length} convolutions: ` +
      `its convolution and pooling stack needs at least ${min}x${min} pixels. Use a larger image size or fewer filters.`);
  }

  const stride = cnnStride(Math.min(h, w), filters.length);

  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = input;
  filters.forEach((count, i) => {
    const strided = i === 0 && stride > 1 ? { kernelSize: firstKernel(stride), strides: stride } : { kernelSize: KERNEL };
    x = tfl.layers.conv2d({ filters: count, ...strided, activation: 'relu', name: `conv${i + 1}` }).apply(x) as tfl.SymbolicTensor;
    if (i < filters.length - 1) {
      x = tfl.layers.maxPooling2d({ poolSize: POOL, name: `pool${i + 1}` }).apply(x) as tfl.SymbolicTensor;
    }
  });
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ units: denseUnits, activation: 'relu', name: 'dense' }).apply(x) as tfl.SymbolicTensor;
  if (dropout > 0) x = tfl.layers.dropout({ rate: dropout, name: 'dropout' }).apply(x) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: numClasses, activation: 'softmax', name: 'probabilities' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: 'cnn' });
}
