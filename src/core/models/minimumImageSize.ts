// The smallest image side length each model kind accepts, known from its spec alone (no model is built),
// so a run asking for smaller images is refused before its dataset is loaded.
import type { ModelSpec } from '../runSpec';

/** Each CNN convolution is 3x3 'valid'; a 2x2 max-pool follows every convolution but the last. */
export const CNN_KERNEL = 3;
export const CNN_POOL = 2;

/** The smallest side length a stack of `convolutions` accepts (working backwards from a 1x1 output). */
export function minimumCnnImageSize(convolutions: number): number {
  let s = 1;
  for (let i = convolutions - 1; i >= 0; i--) {
    s += CNN_KERNEL - 1;
    if (i > 0) s *= CNN_POOL;
  }
  return s;
}

/** Smallest height and width, in pixels, of the images a model of this spec can take. */
export function minimumImageSize(spec: ModelSpec): number {
  switch (spec.kind) {
    case 'cnn': return minimumCnnImageSize(Math.max(1, spec.options.filters.length));
    case 'attention': return Math.max(1, spec.options.patchSize);
    case 'rnn': return 1;
    // Each stage halves the side with a 2x2 max-pool.
    case 'resnet': return 2 ** Math.max(1, spec.options.widths.length);
    default: return 1;
  }
}
