// Where each cell of a convolution's feature map sits on the input image, and the upsampling of a
// coarse map to the input resolution. 'valid' convolutions and floor-pooling crop the borders, so a
// plain stretch of a 4x4 map over a 32x32 image would misplace it by several pixels.
import type * as tfl from '@tensorflow/tfjs-layers';

/** Feature cell i of one axis is centred on input pixel `offset + step * i` (pixel centres at integers). */
export interface AxisMapping {
  offset: number;
  step: number;
}

type Pair = [number, number];

function pair(value: unknown, fallback: Pair): Pair {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length >= 2 && value.every((v) => typeof v === 'number')) return [value[0], value[1]];
  return fallback;
}

/** Before-padding of one axis, as TensorFlow computes 'same' padding. */
function padBefore(padding: unknown, size: number, kernel: number, stride: number): number {
  if (padding !== 'same') return 0;
  const out = Math.ceil(size / stride);
  return Math.floor(Math.max((out - 1) * stride + kernel - size, 0) / 2);
}

const SPATIAL = new Set(['Conv2D', 'MaxPooling2D', 'AveragePooling2D']);
// Layers that keep every pixel where it is.
const IN_PLACE = new Set(['InputLayer', 'Activation', 'BatchNormalization', 'Dropout', 'ReLU', 'LeakyReLU', 'Rescaling']);

/**
 * Mappings [rows, columns] from the feature map of the last layer of `chain` (input first) to the
 * input; undefined when a layer's geometry is unknown.
 */
export function featureMapping(chain: readonly tfl.layers.Layer[]): [AxisMapping, AxisMapping] | undefined {
  const axes: [AxisMapping, AxisMapping] = [{ offset: 0, step: 1 }, { offset: 0, step: 1 }];
  for (const layer of chain) {
    const name = layer.getClassName();
    if (IN_PLACE.has(name)) continue;
    if (!SPATIAL.has(name)) return undefined;
    const config = layer.getConfig();
    const kernel = pair(name === 'Conv2D' ? config.kernelSize : config.poolSize, [1, 1]);
    const dilation = pair(config.dilationRate, [1, 1]);
    const strides = pair(config.strides, name === 'Conv2D' ? [1, 1] : kernel);
    const inputShape = (layer.input as tfl.SymbolicTensor).shape;
    for (let a = 0; a < 2; a++) {
      const size = inputShape[a + 1];
      if (size === null || size === undefined) return undefined;
      const span = (kernel[a] - 1) * dilation[a] + 1;
      const pad = padBefore(config.padding, size, span, strides[a]);
      const axis = axes[a];
      axes[a] = { offset: axis.offset + axis.step * ((span - 1) / 2 - pad), step: axis.step * strides[a] };
    }
  }
  return axes;
}

/** The mapping of a plain stretch: `cells` evenly covering `size` pixels. */
export function stretchMapping(size: number, cells: number): AxisMapping {
  const step = size / cells;
  return { offset: step / 2 - 0.5, step };
}

/** Bilinear samples of `grid` [gh][gw] at every input pixel, cells placed by the mappings, edges clamped. */
export function upsample(grid: number[][], height: number, width: number, rows: AxisMapping, columns: AxisMapping): number[][] {
  const gh = grid.length;
  const gw = grid[0]?.length ?? 0;
  const locate = (pixel: number, mapping: AxisMapping, cells: number): [number, number, number] => {
    const u = Math.min(Math.max((pixel - mapping.offset) / mapping.step, 0), cells - 1);
    const low = Math.floor(u);
    const high = Math.min(low + 1, cells - 1);
    return [low, high, u - low];
  };
  const out: number[][] = [];
  for (let y = 0; y < height; y++) {
    const [y0, y1, ty] = locate(y, rows, gh);
    const row = new Array<number>(width);
    for (let x = 0; x < width; x++) {
      const [x0, x1, tx] = locate(x, columns, gw);
      const top = grid[y0][x0] * (1 - tx) + grid[y0][x1] * tx;
      const bottom = grid[y1][x0] * (1 - tx) + grid[y1][x1] * tx;
      row[x] = top * (1 - ty) + bottom * ty;
    }
    out.push(row);
  }
  return out;
}

/** Scales a non-negative map so its largest value is 1 (an all-zero map stays zero). */
export function normalise(map: number[][]): number[][] {
  let max = 0;
  for (const row of map) for (const v of row) if (v > max) max = v;
  if (!(max > 0)) return map.map((row) => row.map(() => 0));
  return map.map((row) => row.map((v) => Math.min(1, Math.max(0, v / max))));
}
