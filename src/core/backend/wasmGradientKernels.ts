// Kernels that the wasm backend lacks or runs slowly, built from its own XNNPACK kernels (or, where
// no kernel fits, a direct loop over the wasm heap):
//   added:    Conv2DBackpropFilter (without it a conv net cannot train on wasm at all),
//             DepthwiseConv2dNativeBackpropFilter/Input, UnsortedSegmentSum (gather's gradient);
//   replaced: Conv2DBackpropInput (the stock one is a plain loop), MaxPoolGrad (3x faster, and picks
//             the first of tied maxima as the cpu backend does), BatchMatMul/_FusedMatMul (~8x
//             faster when transposed, as in every matmul gradient; correct bias when batched).
//
// Every kernel here calls other wasm kernels directly through the kernel registry (not through
// engine().runKernel), so intermediates never become engine tensors: each one is released with
// backend.disposeData() before the kernel returns, and the engine only sees the final output.
import '@tensorflow/tfjs-backend-wasm';
import {
  Add,
  BatchMatMul,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  Elu,
  LeakyRelu,
  MaxPoolGrad,
  PadV2,
  Prelu,
  Relu,
  Relu6,
  Reshape,
  Reverse,
  Sigmoid,
  Slice,
  Sum,
  Transpose,
  UnsortedSegmentSum,
  _FusedMatMul,
  backend_util,
  broadcast_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  util,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const WASM = 'wasm';

type Shape4 = [number, number, number, number];
type PadAttr = 'same' | 'valid' | number | backend_util.ExplicitPadding;
type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;

/** Per-side padding of a convolution; a negative side means that many rows/columns are cropped. */
interface SidePads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

interface KernelArgs<Inputs = Record<string, TensorInfo>> {
  inputs: Inputs;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}

/**
 * Runs wasm kernels for one composite kernel and remembers every intermediate it made, so that
 * they are all released once the composite kernel has its result (or has thrown).
 */
class KernelScope {
  private readonly intermediates: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(kernelName, WASM);
    if (config === undefined) {
      throw new Error(`Kernel '${kernelName}' is not registered for the wasm backend.`);
    }
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    const single = Array.isArray(out) ? out[0] : out;
    this.intermediates.push(single);
    return single;
  }

  /** Adopts a result made outside run() so that it is released with the rest. */
  track(t: TensorInfo): TensorInfo {
    this.intermediates.push(t);
    return t;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run(Reshape, { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run(Transpose, { x }, { perm });
  }

  /** Takes `result` out of the scope so that dispose() leaves it alive for the caller. */
  keep(result: TensorInfo): TensorInfo {
    const index = this.intermediates.indexOf(result);
    if (index >= 0) this.intermediates.splice(index, 1);
    return result;
  }

  dispose(): void {
    for (const t of this.intermediates) this.backend.disposeData(t.dataId);
    this.intermediates.length = 0;
  }
}

function withScope(backend: BackendWasm, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

function assertChannelsLast(kernelName: string, dataFormat: unknown): void {
  if (dataFormat === 'NCHW') {
    throw new Error(`${kernelName} on the wasm backend supports only NHWC (channelsLast) data.`);
  }
}

/**
 * Pads `x` [N,H,W,C] spatially by `pads`, cropping instead where a side is negative. Positive sides
 * are returned for the convolution to apply itself (XNNPACK pads for free); only the crop is done here.
 */
function cropNegativePads(scope: KernelScope, x: TensorInfo, pads: SidePads): [TensorInfo, SidePads] {
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  const positive: SidePads = {
    top: Math.max(0, pads.top),
    bottom: Math.max(0, pads.bottom),
    left: Math.max(0, pads.left),
    right: Math.max(0, pads.right),
  };
  if (cropTop + cropBottom + cropLeft + cropRight === 0) return [x, positive];
  const [n, h, w, c] = x.shape;
  const cropped = scope.run(Slice, { x }, {
    begin: [0, cropTop, cropLeft, 0],
    size: [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c],
  });
  return [cropped, positive];
}

function explicitPadding(p: SidePads): backend_util.ExplicitPadding {
  return [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]];
}

/** Conv2D or DepthwiseConv2dNative with per-side padding that may be negative. */
function paddedConv(
  scope: KernelScope,
  kernelName: typeof Conv2D | typeof DepthwiseConv2dNative,
  x: TensorInfo,
  filter: TensorInfo,
  pads: SidePads,
  strides: [number, number],
  dilations: [number, number],
): TensorInfo {
  const [input, positive] = cropNegativePads(scope, x, pads);
  return scope.run(kernelName, { x: input, filter }, {
    strides,
    dilations,
    pad: explicitPadding(positive),
    dataFormat: 'NHWC',
  });
}

/**
 * Spreads dy [B,OH,OW,C] out to the grid of a stride-1 output by putting stride-1 zeros between
 * its rows and columns: [B,(OH-1)*sh+1,(OW-1)*sw+1,C]. A strided convolution's input gradient is
 * then a stride-1 convolution of this.
 */
function insertStrideZeros(scope: KernelScope, dy: TensorInfo, strides: [number, number]): TensorInfo {
  const [sh, sw] = strides;
  if (sh === 1 && sw === 1) return dy;
  const [b, oh, ow, c] = dy.shape;
  const spread = scope.run(PadV2, { x: scope.reshape(dy, [b, oh, 1, ow, 1, c]) }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
    constantValue: 0,
  });
  const grid = scope.reshape(spread, [b, oh * sh, ow * sw, c]);
  return scope.run(Slice, { x: grid }, {
    begin: [0, 0, 0, 0],
    size: [b, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c],
  });
}

/**
 * Padding that turns the input gradient of a forward convolution into a stride-1 convolution of
 * (zero-spread) dy with the spatially reversed filter:
 *   dx[h] = sum_i dyUp[h + padTop - i*dilation] * w[i]
 * so the top pad is (kh-1)*dilation - padTop and the bottom pad makes the output exactly H rows.
 */
function inputGradientPads(info: backend_util.Conv2DInfo, upHeight: number, upWidth: number): SidePads {
  const reachH = (info.filterHeight - 1) * info.dilationHeight;
  const reachW = (info.filterWidth - 1) * info.dilationWidth;
  const top = reachH - info.padInfo.top;
  const left = reachW - info.padInfo.left;
  return {
    top,
    bottom: info.inHeight + reachH - upHeight - top,
    left,
    right: info.inWidth + reachW - upWidth - left,
  };
}

// ---- Conv2DBackpropFilter -------------------------------------------------------------------

/**
 * dW[i,j,ci,co] = sum_{b,oh,ow} x[b, oh*s + i - padTop, ow*s + j - padLeft, ci] * dy[b,oh,ow,co]
 * which is a convolution of x seen as [Cin,H,W,B] (Cin as the batch, B as the channels) with dy
 * seen as the filter [OH,OW,B,Cout], dilated by the forward stride; the result [Cin,kh,kw,Cout]
 * is transposed to the filter layout [kh,kw,Cin,Cout].
 */
function conv2DBackpropFilter(args: KernelArgs<{ x: TensorInfo; dy: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: PadAttr;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode: RoundingMode;
    filterShape: Shape4;
  };
  assertChannelsLast(Conv2DBackpropFilter, dataFormat);
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
  const [kh, kw, inChannels, outChannels] = filterShape;
  // Few taps per output channel (a first layer on RGB or grey images): gathering the patches is
  // cheaper than handing all of dy to XNNPACK as a convolution filter, which it repacks twice.
  if (kh * kw * inChannels <= outChannels) {
    return withScope(backend, (scope) => filterGradientByPatches(scope, x, dy, attrs, filterShape));
  }
  return withScope(backend, (scope) => filterGradientByConv(scope, x, dy, info));
}

const identityFilters = new Map<number, Float32Array>();

/** The [P,P] identity, as the values of a [kh,kw,Cin,P] filter that copies each tap to a channel. */
function identityValues(taps: number): Float32Array {
  let values = identityFilters.get(taps);
  if (values === undefined) {
    values = new Float32Array(taps * taps);
    for (let i = 0; i < taps; i++) values[i * taps + i] = 1;
    identityFilters.set(taps, values);
  }
  return values;
}

/**
 * dW = patches^T * dy, where patches [B*OH*OW, kh*kw*Cin] are gathered by a convolution of x with
 * an identity filter under the forward strides and padding (so they line up with dy exactly).
 */
function filterGradientByPatches(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: NamedAttrMap,
  filterShape: Shape4,
): TensorInfo {
  const [kh, kw, inChannels, outChannels] = filterShape;
  const taps = kh * kw * inChannels;
  const identity = scope.track(scope.backend.makeOutput([kh, kw, inChannels, taps], 'float32', undefined, identityValues(taps)));
  const patches = scope.run(Conv2D, { x, filter: identity }, {
    strides: attrs.strides,
    pad: attrs.pad,
    dimRoundingMode: attrs.dimRoundingMode,
    dilations: 1,
    dataFormat: 'NHWC',
  });
  const rows = util.sizeFromShape(dy.shape.slice(0, 3));
  const grad = scope.run(BatchMatMul, {
    a: scope.reshape(patches, [rows, taps]),
    b: scope.reshape(dy, [rows, outChannels]),
  }, { transposeA: true, transposeB: false });
  return scope.reshape(grad, filterShape);
}

function filterGradientByConv(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const [batch, height, width, inChannels] = x.shape;
  const [, outHeight, outWidth, outChannels] = dy.shape;
  // Transposes run on merged spatial dims: the wasm Transpose is faster on rank 3 than rank 4.
  const xT = scope.reshape(
    scope.transpose(scope.reshape(x, [batch, height * width, inChannels]), [2, 1, 0]),
    [inChannels, height, width, batch],
  );
  const dyT = scope.reshape(
    scope.transpose(scope.reshape(dy, [batch, outHeight * outWidth, outChannels]), [1, 0, 2]),
    [outHeight, outWidth, batch, outChannels],
  );
  const pads = filterGradientPads(info, outHeight, outWidth);
  const grad = paddedConv(scope, Conv2D, xT, dyT, pads, [info.dilationHeight, info.dilationWidth], [
    info.strideHeight,
    info.strideWidth,
  ]); // [Cin,kh,kw,Cout]
  return scope.transpose(grad, [1, 2, 0, 3]);
}

/**
 * Padding for the filter-gradient convolution: the forward top/left padding, and a bottom/right
 * padding that makes its output exactly kh x kw (negative when the forward pass never reached the
 * last input rows, which are then cropped).
 */
function filterGradientPads(info: backend_util.Conv2DInfo, outHeight: number, outWidth: number): SidePads {
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  return {
    top,
    left,
    bottom: (info.filterHeight - 1) * info.dilationHeight + (outHeight - 1) * info.strideHeight + 1 - info.inHeight - top,
    right: (info.filterWidth - 1) * info.dilationWidth + (outWidth - 1) * info.strideWidth + 1 - info.inWidth - left,
  };
}

// ---- Conv2DBackpropInput --------------------------------------------------------------------


/**
 * Stride 1: dx is one convolution of dy with the filter reversed in space and with its in/out
 * channels swapped ([kh,kw,Cout,Cin]), padded to a 'full' convolution. Larger strides: see
 * inputGradientByPhases.
 */
function conv2DBackpropInput(args: KernelArgs<{ dy: TensorInfo; filter: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: PadAttr;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode: RoundingMode;
    inputShape: Shape4;
  };
  assertChannelsLast(Conv2DBackpropInput, dataFormat);
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
  if (info.strideHeight > 1 || info.strideWidth > 1) {
    return withScope(backend, (scope) => inputGradientByPhases(scope, dy, filter, info));
  }
  return withScope(backend, (scope) => {
    const flipped = scope.run(Reverse, { x: scope.transpose(filter, [0, 1, 3, 2]) }, { dims: [0, 1] });
    const pads = inputGradientPads(info, dy.shape[1], dy.shape[2]);
    return paddedConv(scope, Conv2D, dy, flipped, pads, [1, 1], [1, 1]);
  });
}

/**
 * The input gradient of a strided convolution, split by output phase. With t = h + padTop,
 * q = floor(t / s) and r = t mod s, only the taps i = r + m*s reach row h:
 *   dx[h] = sum_m dy[q - m] * w[r + m*s]
 * so the rows of each phase r are a stride-1 'full' convolution of dy with the sub-filter
 * w[r::s] (reversed, in/out swapped). The s*s phase results interleave into dx. Same arithmetic
 * as the stock loop kernel, but on XNNPACK, and without the zeros a dilated-dy convolution
 * would multiply.
 */
function inputGradientByPhases(
  scope: KernelScope,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { backend } = scope;
  const [kh, kw, inChannels, outChannels] = filter.shape;
  const [batch, outHeight, outWidth] = dy.shape;
  const { inHeight, inWidth, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const phaseRows = Math.ceil((inHeight + top) / sh);
  const phaseCols = Math.ceil((inWidth + left) / sw);
  const phases: Array<{ r: number; c: number; result: TensorInfo }> = [];
  for (let r = 0; r < sh; r++) {
    const tapsH = Math.ceil((kh - r) / sh);
    for (let c = 0; c < sw; c++) {
      const tapsW = Math.ceil((kw - c) / sw);
      if (tapsH <= 0 || tapsW <= 0) continue; // no tap reaches this phase: its rows stay zero
      const subFilter = scope.track(backend.makeOutput([tapsH, tapsW, outChannels, inChannels], 'float32', undefined,
        phaseFilter(backend.typedArrayFromHeap(filter), filter.shape as Shape4, sh, sw, r, c, tapsH, tapsW)));
      const result = paddedConv(scope, Conv2D, dy, subFilter, {
        top: tapsH - 1, bottom: phaseRows - outHeight, left: tapsW - 1, right: phaseCols - outWidth,
      }, [1, 1], [1, 1]); // [B, phaseRows, phaseCols, Cin]
      phases.push({ r, c, result });
    }
  }
  const dx = backend.makeOutput([batch, inHeight, inWidth, inChannels], 'float32');
  // Views are taken after every allocation: allocating may grow (and so detach) the wasm memory.
  const out = backend.typedArrayFromHeap(dx);
  out.fill(0);
  for (const { r, c, result } of phases) {
    const values = backend.typedArrayFromHeap(result);
    for (let b = 0; b < batch; b++) {
      for (let q = 0; q < phaseRows; q++) {
        const h = q * sh + r - top;
        if (h < 0 || h >= inHeight) continue;
        for (let p = 0; p < phaseCols; p++) {
          const w = p * sw + c - left;
          if (w < 0 || w >= inWidth) continue;
          const from = ((b * phaseRows + q) * phaseCols + p) * inChannels;
          out.set(values.subarray(from, from + inChannels), ((b * inHeight + h) * inWidth + w) * inChannels);
        }
      }
    }
  }
  return dx;
}

/** w[r::sh, c::sw] reversed in space, as [tapsH, tapsW, Cout, Cin]. */
function phaseFilter(
  w: ArrayLike<number>,
  [, kw, inChannels, outChannels]: Shape4,
  sh: number,
  sw: number,
  r: number,
  c: number,
  tapsH: number,
  tapsW: number,
): Float32Array {
  const values = new Float32Array(tapsH * tapsW * outChannels * inChannels);
  let at = 0;
  for (let m = 0; m < tapsH; m++) {
    const i = r + (tapsH - 1 - m) * sh;
    for (let n = 0; n < tapsW; n++) {
      const j = c + (tapsW - 1 - n) * sw;
      const tap = (i * kw + j) * inChannels * outChannels;
      for (let co = 0; co < outChannels; co++) {
        for (let ci = 0; ci < inChannels; ci++) values[at++] = w[tap + ci * outChannels + co];
      }
    }
  }
  return values;
}

// ---- Depthwise gradients ------------------------------------------------------------------------

interface DepthwiseAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: PadAttr;
  dimRoundingMode: RoundingMode;
}

/**
 * dW[i,j,c,q] = sum_{b,oh,ow} x[b, oh*s + i*d - padTop, .., c] * dy[b,oh,ow,c*m+q]
 * as one depthwise convolution over the (b,c) pairs: x as [1,H,W,B*C] with dy as the filter
 * [OH,OW,B*C,m] (stride = forward dilation, dilation = forward stride), then summed over B.
 */
function depthwiseBackpropFilter(args: KernelArgs<{ x: TensorInfo; dy: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseAttrs & {
    filterShape: Shape4;
  };
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, dilations, pad, dimRoundingMode, true,
  );
  const [batch, height, width, channels] = x.shape;
  const [, outHeight, outWidth] = dy.shape;
  const [kh, kw, , multiplier] = filterShape;
  return withScope(backend, (scope) => {
    const xPairs = scope.reshape(scope.transpose(x, [1, 2, 0, 3]), [1, height, width, batch * channels]);
    const dyPairs = scope.reshape(scope.transpose(dy, [1, 2, 0, 3]), [
      outHeight, outWidth, batch * channels, multiplier,
    ]);
    const pads = filterGradientPads(info, outHeight, outWidth);
    const grad = paddedConv(scope, DepthwiseConv2dNative, xPairs, dyPairs, pads,
      [info.dilationHeight, info.dilationWidth], [info.strideHeight, info.strideWidth]); // [1,kh,kw,B*C*m]
    const perBatch = scope.reshape(grad, [kh, kw, batch, channels * multiplier]);
    const summed = scope.run(Sum, { x: perBatch }, { axis: [2], keepDims: false });
    return scope.reshape(summed, filterShape);
  });
}

/**
 * dx[b,h,w,c] = sum_{i,j,q} dyUp[b, h + padTop - i*d, .., c*m+q] * w[i,j,c,q]:
 * a stride-1 depthwise convolution of the zero-spread dy with the reversed filter as [kh,kw,C*m,1],
 * then summed over the multiplier q.
 */
function depthwiseBackpropInput(args: KernelArgs<{ dy: TensorInfo; filter: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseAttrs & {
    inputShape: Shape4;
  };
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, true,
  );
  const [kh, kw, channels, multiplier] = filter.shape;
  const [batch, height, width] = inputShape;
  return withScope(backend, (scope) => {
    const dyUp = insertStrideZeros(scope, dy, [info.strideHeight, info.strideWidth]);
    const flipped = scope.reshape(scope.run(Reverse, { x: filter }, { dims: [0, 1] }), [
      kh, kw, channels * multiplier, 1,
    ]);
    const pads = inputGradientPads(info, dyUp.shape[1], dyUp.shape[2]);
    const spread = paddedConv(scope, DepthwiseConv2dNative, dyUp, flipped, pads, [1, 1],
      [info.dilationHeight, info.dilationWidth]); // [B,H,W,C*m]
    if (multiplier === 1) return spread;
    const split = scope.reshape(spread, [batch, height, width, channels, multiplier]);
    return scope.run(Sum, { x: split }, { axis: [4], keepDims: false });
  });
}

// ---- UnsortedSegmentSum (the gradient of gather) ----------------------------------------------

/**
 * out[s, ...] = sum of x[i, ...] over the i with segmentIds[i] == s. Ids outside [0, numSegments)
 * are dropped, as the cpu backend does. A direct loop over the wasm heap: O(size of x).
 */
function unsortedSegmentSum(args: KernelArgs<{ x: TensorInfo; segmentIds: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  const numSegments = attrs.numSegments as number;
  const idsRank = segmentIds.shape.length;
  const rows = util.sizeFromShape(segmentIds.shape);
  const rowSize = rows === 0 ? 0 : util.sizeFromShape(x.shape) / rows;
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm memory.
  const values = backend.typedArrayFromHeap(out);
  values.fill(0);
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  for (let row = 0; row < rows; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) values[to + k] += xValues[from + k];
  }
  return out;
}

// ---- MaxPoolGrad ------------------------------------------------------------------------------

/**
 * dx gets each dy value at the first largest input of its pooling window (row-major order, NaN
 * never chosen), as the cpu backend does. A direct loop over the wasm heap that looks for the
 * forward output's value in each window; the stock kernel rescans every window for every input
 * pixel (3x slower) and hands tied maxima to the last one.
 */
function maxPoolGrad(args: KernelArgs<{ dy: TensorInfo; input: TensorInfo; output: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: number | [number, number];
    strides: number | [number, number];
    pad: PadAttr;
    dimRoundingMode: RoundingMode;
  };
  const info = backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const dx = backend.makeOutput(input.shape, 'float32');
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm memory.
  const dxValues = backend.typedArrayFromHeap(dx);
  dxValues.fill(0);
  const xValues = backend.typedArrayFromHeap(input);
  const yValues = backend.typedArrayFromHeap(output);
  const dyValues = backend.typedArrayFromHeap(dy);
  const rowStride = inWidth * channels;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * info.strideHeight - info.padInfo.top;
      const h0 = Math.max(0, top);
      const h1 = Math.min(inHeight, top + info.filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * info.strideWidth - info.padInfo.left;
        const w0 = Math.max(0, left);
        const w1 = Math.min(inWidth, left + info.filterWidth);
        const window: PoolWindow = {
          start: (b * inHeight + h0) * rowStride + w0 * channels, rows: h1 - h0, cols: w1 - w0, rowStride, channels,
        };
        const at = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          let found = firstEqual(xValues, window, c, yValues[at + c]);
          if (found < 0) found = firstMax(xValues, window, c);
          if (found >= 0) dxValues[found] += dyValues[at + c];
        }
      }
    }
  }
  return dx;
}

/** One pooling window clipped to the input, in flat NHWC offsets. */
interface PoolWindow {
  start: number;
  rows: number;
  cols: number;
  rowStride: number;
  channels: number;
}

/** Offset of the first input of the window (channel c) equal to `target`, or -1. */
function firstEqual(x: ArrayLike<number>, window: PoolWindow, c: number, target: number): number {
  for (let i = 0; i < window.rows; i++) {
    let at = window.start + i * window.rowStride + c;
    for (let j = 0; j < window.cols; j++, at += window.channels) {
      if (x[at] === target) return at;
    }
  }
  return -1;
}

/** Offset of the first largest input of the window (channel c), or -1 if none compares (all NaN). */
function firstMax(x: ArrayLike<number>, window: PoolWindow, c: number): number {
  let best = -Infinity;
  let found = -1;
  for (let i = 0; i < window.rows; i++) {
    let at = window.start + i * window.rowStride + c;
    for (let j = 0; j < window.cols; j++, at += window.channels) {
      if (x[at] > best) {
        best = x[at];
        found = at;
      }
    }
  }
  return found;
}

// ---- BatchMatMul / _FusedMatMul -------------------------------------------------------------------

/**
 * The stock wasm matmul is fast (XNNPACK) only for one untransposed matrix product, and about 8x
 * slower with transposeA/transposeB, which every matmul gradient uses. When the product is a
 * single matrix product (or a batch of rows times one shared matrix), the transposes are done
 * explicitly first and the fast path runs. The stock _FusedMatMul also adds the bias wrongly when
 * the batch is larger than one, so batched fused products run as matmul, add, activation.
 */
function matMul(
  kernelName: typeof BatchMatMul | typeof _FusedMatMul,
  args: KernelArgs<Record<string, TensorInfo>>,
): TensorInfo {
  const { inputs, attrs } = args;
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return runStock(kernelName, args);
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const hasPrelu = inputs.preluActivationWeights !== undefined;
  // Rows of a batch of `a` all times one `b`: one [batchA*rows, k] x [k, cols] product.
  const foldable = batchB === 1 && !hasPrelu && (transposeA ? batchA === 1 : true);
  if (foldable && (batchA > 1 || transposeA || transposeB)) {
    return singleProduct(kernelName, args, batchA, transposeA, transposeB);
  }
  if (kernelName === _FusedMatMul && Math.max(batchA, batchB) > 1) return unfusedMatMul(args);
  return runStock(kernelName, args);
}

function singleProduct(
  kernelName: typeof BatchMatMul | typeof _FusedMatMul,
  args: KernelArgs<Record<string, TensorInfo>>,
  batchA: number,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const rows = transposeA ? aCols : aRows;
  const cols = transposeB ? bRows : bCols;
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), rows, cols];
  return withScope(backend, (scope) => {
    // Rank 3 with a batch of one: _FusedMatMul reads its operands' shapes as [batch, rows, cols].
    const a3 = scope.reshape(a, [1, batchA * aRows, aCols]);
    const b3 = scope.reshape(b, [1, bRows, bCols]);
    const left = transposeA ? scope.transpose(a3, [0, 2, 1]) : a3;
    const right = transposeB ? scope.transpose(b3, [0, 2, 1]) : b3;
    const product = scope.track(runStock(kernelName, {
      inputs: { ...inputs, a: left, b: right },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }));
    return scope.reshape(product, outShape);
  });
}

/** matmul, then + bias, then the activation, each as its own wasm kernel. */
function unfusedMatMul(args: KernelArgs<Record<string, TensorInfo>>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b, bias, preluActivationWeights } = inputs;
  return withScope(backend, (scope) => {
    let out = scope.run(BatchMatMul, { a, b }, { transposeA: attrs.transposeA, transposeB: attrs.transposeB });
    if (bias !== undefined) out = scope.run(Add, { a: out, b: bias });
    switch (attrs.activation as string | undefined) {
      case undefined:
      case 'linear':
        return out;
      case 'relu':
        return scope.run(Relu, { x: out });
      case 'relu6':
        return scope.run(Relu6, { x: out });
      case 'elu':
        return scope.run(Elu, { x: out });
      case 'sigmoid':
        return scope.run(Sigmoid, { x: out });
      case 'leakyrelu':
        return scope.run(LeakyRelu, { x: out }, { alpha: attrs.leakyreluAlpha ?? 0.2 });
      case 'prelu':
        return scope.run(Prelu, { x: out, alpha: preluActivationWeights });
      default:
        throw new Error(`_FusedMatMul on wasm: unknown activation '${String(attrs.activation)}'.`);
    }
  });
}

// ---- Registration ----------------------------------------------------------------------------

/** Stock wasm kernels that ours replace, kept to handle the cases ours hand back. */
const stockKernels = new Map<string, KernelConfig>();

function runStock<Inputs>(kernelName: string, args: KernelArgs<Inputs>): TensorInfo {
  const stock = stockKernels.get(kernelName);
  if (stock === undefined) throw new Error(`The wasm backend has no stock '${kernelName}' kernel.`);
  const out = stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]);
  return Array.isArray(out) ? out[0] : out;
}

function config<Inputs>(kernelName: string, kernelFunc: (args: KernelArgs<Inputs>) => TensorInfo): KernelConfig {
  return { kernelName, backendName: WASM, kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Kernels the wasm backend does not have. */
const addedKernels: KernelConfig[] = [
  config(Conv2DBackpropFilter, conv2DBackpropFilter),
  config(DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter),
  config(DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput),
  config(UnsortedSegmentSum, unsortedSegmentSum),
];

/** Faster versions of kernels the wasm backend has. */
const replacedKernels: KernelConfig[] = [
  config(Conv2DBackpropInput, conv2DBackpropInput),
  config(MaxPoolGrad, maxPoolGrad),
  config(BatchMatMul, (args: KernelArgs<Record<string, TensorInfo>>) => matMul(BatchMatMul, args)),
  config(_FusedMatMul, (args: KernelArgs<Record<string, TensorInfo>>) => matMul(_FusedMatMul, args)),
];

function putKernel(kernel: KernelConfig): void {
  if (getKernel(kernel.kernelName, WASM) !== undefined) unregisterKernel(kernel.kernelName, WASM);
  registerKernel(kernel);
}

/**
 * Registers the missing gradient kernels on the wasm backend and replaces its slow ones.
 * Safe to call more than once, before or after the wasm backend is initialised.
 */
export function registerWasmGradientKernels(): void {
  if (getKernel(Conv2DBackpropFilter, WASM)?.kernelFunc === addedKernels[0].kernelFunc) return;
  for (const kernel of replacedKernels) {
    const stock = getKernel(kernel.kernelName, WASM);
    if (stock === undefined) continue; // nothing to replace: leave the name to the backend
    stockKernels.set(kernel.kernelName, stock);
    // The stock kernel binds its wasm function in setupFunc, which the engine runs when the
    // backend is set; ours takes its place in the registry, so it forwards that call.
    putKernel({ ...kernel, setupFunc: stock.setupFunc, disposeFunc: stock.disposeFunc });
  }
  for (const kernel of addedKernels) putKernel(kernel);
}
