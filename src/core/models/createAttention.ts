// The attention classifier: a small vision transformer over non-overlapping image patches.
import * as tfl from '@tensorflow/tfjs-layers';
import type { AttentionOptions, ImageShape } from '../runSpec';
import { RunSpecError } from '../runSpecDefaults';
import { checkDropout, checkModelInputs, checkPositiveInt } from './checkModelInputs';
import { inputDownsampling } from './inputDownsampling';
import { LayerNorm } from './layers/layerNorm';
import { MultiHeadSelfAttention } from './layers/multiHeadSelfAttention';
import { PositionEmbedding } from './layers/positionEmbedding';
import { registerModelLayers } from './registerModelLayers';

type Symbolic = tfl.SymbolicTensor;

/**
 * The side of the patches the model cuts: patchSize up to 47 px images, then patchSize times about
 * side / 32 (8 px patches for patchSize 4 at 64 px, 12 at 96, 16 at 128), so the sequence has as many
 * tokens as on 32 px images (self-attention costs the square of it); never larger than the image.
 */
export function effectivePatchSize(patchSize: number, side: number): number {
  for (let factor = inputDownsampling(side); factor > 1; factor--) {
    if (patchSize * factor <= side) return patchSize * factor;
  }
  return patchSize;
}

/**
 * Patches of p x p pixels (p = effectivePatchSize) are embedded by a convolution with kernel = stride = p
 * ([batch, h/p, w/p, embedDim], pixels past the last whole patch are ignored), flattened to
 * [batch, patches, embedDim] and given a learned position embedding. `depth` pre-norm blocks follow:
 * x + attention(norm(x)), then x + mlp(norm(x)). A final norm, the mean over patches and a softmax
 * dense layer give [batch, classes].
 */
export function createAttention(options: AttentionOptions, inputShape: ImageShape, numClasses: number): tfl.LayersModel {
  checkModelInputs(inputShape, numClasses);
  const { patchSize, embedDim, depth, heads, mlpDim, dropout } = options;
  checkPositiveInt(patchSize, 'Patch size');
  checkPositiveInt(embedDim, 'Embedding size');
  checkPositiveInt(depth, 'Transformer depth');
  checkPositiveInt(heads, 'Attention heads');
  checkPositiveInt(mlpDim, 'MLP size');
  checkDropout(dropout);
  if (embedDim % heads !== 0) {
    throw new RunSpecError(`The embedding size (${embedDim}) must be a multiple of the number of attention heads (${heads}).`);
  }
  const [h, w] = inputShape;
  if (patchSize > h || patchSize > w) {
    throw new RunSpecError(`Images of ${h}x${w} are smaller than one ${patchSize}x${patchSize} patch: use a smaller patch size or larger images.`);
  }
  registerModelLayers();
  const patch = effectivePatchSize(patchSize, Math.min(h, w));
  const patches = Math.floor(h / patch) * Math.floor(w / patch);

  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = tfl.layers.conv2d({
    filters: embedDim, kernelSize: patch, strides: patch, padding: 'valid', name: 'patch_embedding',
  }).apply(input) as Symbolic;
  x = tfl.layers.reshape({ targetShape: [patches, embedDim], name: 'patches' }).apply(x) as Symbolic;
  x = new PositionEmbedding({ name: 'position_embedding' }).apply(x) as Symbolic;
  if (dropout > 0) x = tfl.layers.dropout({ rate: dropout, name: 'embedding_dropout' }).apply(x) as Symbolic;

  for (let b = 1; b <= depth; b++) {
    let y = new LayerNorm({ name: `block${b}_norm1` }).apply(x) as Symbolic;
    y = new MultiHeadSelfAttention({ heads, name: `block${b}_attention` }).apply(y) as Symbolic;
    if (dropout > 0) y = tfl.layers.dropout({ rate: dropout, name: `block${b}_attention_dropout` }).apply(y) as Symbolic;
    x = tfl.layers.add({ name: `block${b}_residual1` }).apply([x, y]) as Symbolic;

    y = new LayerNorm({ name: `block${b}_norm2` }).apply(x) as Symbolic;
    y = tfl.layers.dense({ units: mlpDim, activation: 'gelu', name: `block${b}_mlp1` }).apply(y) as Symbolic;
    y = tfl.layers.dense({ units: embedDim, name: `block${b}_mlp2` }).apply(y) as Symbolic;
    if (dropout > 0) y = tfl.layers.dropout({ rate: dropout, name: `block${b}_mlp_dropout` }).apply(y) as Symbolic;
    x = tfl.layers.add({ name: `block${b}_residual2` }).apply([x, y]) as Symbolic;
  }

  x = new LayerNorm({ name: 'final_norm' }).apply(x) as Symbolic;
  x = tfl.layers.globalAveragePooling1d({ name: 'mean_over_patches' }).apply(x) as Symbolic;
  const output = tfl.layers.dense({ units: numClasses, activation: 'softmax', name: 'probabilities' }).apply(x) as Symbolic;
  return tfl.model({ inputs: input, outputs: output, name: 'attention' });
}
