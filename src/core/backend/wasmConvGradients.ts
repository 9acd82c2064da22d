// Convolutions for the wasm backend, built from its own XNNPACK kernels:
//   Conv2DBackpropFilter (without it a conv net cannot train on wasm at all),
//   Conv2DBackpropInput (the stock one is a plain loop),
//   Conv2D/FusedConv2D whose windows tile the input (as one matrix product; others stay stock),
//   DepthwiseConv2dNativeBackpropFilter/Input (missing on wasm).
import {
  BatchMatMul,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  FusedConv2D,
  PadV2,
  Reverse,
  Slice,
  Sum,
  _FusedMatMul,
  backend_util,
  util,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  assertChannelsLast,
  kernelConfig,
  runStock,
  withScope,
  type KernelArgs,
  type KernelScope,
  type PadAttr,
  type RoundingMode,
  type Shape4,
} from './wasmKernelScope';

/** Per-side padding of a convolution; a negative side means that many rows/columns are cropped. */
interface SidePads {
  top: number;
  bottom: number;
  left: number;
  right: number;
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

// ---- Convolutions whose windows tile the input ----------------------------------------------

/**
 * A convolution with stride = filter size and no padding that covers its input exactly (a vision
 * transformer's patch embedding): every input pixel is in exactly one window, so the convolution
 * is one matrix product of the patches [B*OH*OW, kh*kw*Cin] with the filter [kh*kw*Cin, Cout],
 * and the patches are x with its axes rearranged (no im2col copies beyond one transpose).
 */
function tilesInput(info: backend_util.Conv2DInfo): boolean {
  return info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth
    && info.dilationHeight === 1 && info.dilationWidth === 1
    && info.padInfo.top === 0 && info.padInfo.left === 0 && info.padInfo.bottom === 0 && info.padInfo.right === 0
    && info.outHeight * info.filterHeight === info.inHeight && info.outWidth * info.filterWidth === info.inWidth;
}

/**
 * The forward pass of such a convolution (fused with bias and activation or not): the patches
 * [B*OH*OW, kh*kw*Cin] from one transpose of x, times the filter, as one matrix product. XNNPACK's
 * convolution runs this shape (few input channels, large stride) at a fraction of its speed.
 * Other convolutions go to the stock kernel.
 */
function convolution(kernelName: typeof Conv2D | typeof FusedConv2D, args: KernelArgs<Record<string, TensorInfo>>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, attrs.strides as number | [number, number],
    attrs.dilations as number | [number, number], attrs.pad as PadAttr, attrs.dimRoundingMode as RoundingMode);
  if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || !tilesInput(info) || inputs.preluActivationWeights !== undefined) {
    return runStock(kernelName, args);
  }
  const { batchSize, outHeight, outWidth, filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  const rows = batchSize * outHeight * outWidth;
  return withScope(backend, (scope) => {
    // x as [B*OH, kh, OW, kw*Cin] -> [B*OH, OW, kh, kw*Cin], which is [B*OH*OW, kh*kw*Cin]
    const patches = scope.transpose(scope.reshape(x, [batchSize * outHeight, kh, outWidth, kw * inChannels]), [0, 2, 1, 3]);
    const a = scope.reshape(patches, [1, rows, kh * kw * inChannels]);
    const b = scope.reshape(filter, [1, kh * kw * inChannels, outChannels]);
    const product = kernelName === FusedConv2D
      ? scope.run(_FusedMatMul, { a, b, bias: inputs.bias }, {
        transposeA: false, transposeB: false, activation: attrs.activation ?? 'linear', leakyreluAlpha: attrs.leakyreluAlpha,
      })
      : scope.run(BatchMatMul, { a, b }, { transposeA: false, transposeB: false });
    return scope.reshape(product, [batchSize, outHeight, outWidth, outChannels]);
  });
}

/** dW = patches^T dy, with patches^T [kh*kw*Cin, B*OH*OW] from one transpose of x. */
function filterGradientOfTiles(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  const rows = batchSize * outHeight * outWidth;
  // x as [B*OH, kh, OW, kw*Cin] -> [kh, kw*Cin, B*OH, OW]
  const patchesT = scope.transpose(scope.reshape(x, [batchSize * outHeight, kh, outWidth, kw * inChannels]), [1, 3, 0, 2]);
  const grad = scope.run(BatchMatMul, {
    a: scope.reshape(patchesT, [kh * kw * inChannels, rows]),
    b: scope.reshape(dy, [rows, outChannels]),
  }, { transposeA: false, transposeB: false });
  return scope.reshape(grad, [kh, kw, inChannels, outChannels]);
}

/** dx patches = dy W^T [B*OH*OW, kh*kw*Cin], put back in place by one transpose. */
function inputGradientOfTiles(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  const rows = batchSize * outHeight * outWidth;
  const patches = scope.run(BatchMatMul, {
    a: scope.reshape(dy, [rows, outChannels]),
    b: scope.reshape(filter, [kh * kw * inChannels, outChannels]),
  }, { transposeA: false, transposeB: true });
  // [B*OH, OW, kh, kw*Cin] -> [B*OH, kh, OW, kw*Cin], which is [B, H, W, Cin]
  const dx = scope.transpose(scope.reshape(patches, [batchSize * outHeight, outWidth, kh, kw * inChannels]), [0, 2, 1, 3]);
  return scope.reshape(dx, [batchSize, info.inHeight, info.inWidth, inChannels]);
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
  if (tilesInput(info)) return withScope(backend, (scope) => filterGradientOfTiles(scope, x, dy, info));
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
  if (tilesInput(info)) return withScope(backend, (scope) => inputGradientOfTiles(scope, dy, filter, info));
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

/** Kernels the wasm backend does not have. */
export const addedConvKernels = [
  kernelConfig(Conv2DBackpropFilter, conv2DBackpropFilter),
  kernelConfig(DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter),
  kernelConfig(DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput),
];

/** Kernels that replace stock wasm ones. */
export const convKernels = [
  kernelConfig(Conv2DBackpropInput, conv2DBackpropInput),
  kernelConfig(Conv2D, (args: KernelArgs<Record<string, TensorInfo>>) => convolution(Conv2D, args)),
  kernelConfig(FusedConv2D, (args: KernelArgs<Record<string, TensorInfo>>) => convolution(FusedConv2D, args)),
];
