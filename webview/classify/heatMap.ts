// Paints a saliency map onto a canvas laid over the image: a fixed perceptual colour ramp (data, not
// theme), with transparency rising with the value so unimportant areas leave the image visible.
import type { SaliencyMap } from '../../src/protocol/classifyView';

/** Colour ramp stops (value, r, g, b): dark blue, cyan, green, yellow, red. */
const RAMP: readonly [number, number, number, number][] = [
  [0, 30, 40, 160],
  [0.25, 20, 170, 220],
  [0.5, 60, 200, 80],
  [0.75, 250, 220, 40],
  [1, 230, 40, 30],
];

export function rampColour(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  for (let k = 1; k < RAMP.length; k++) {
    const [to, r1, g1, b1] = RAMP[k];
    const [from, r0, g0, b0] = RAMP[k - 1];
    if (v <= to) {
      const t = (v - from) / (to - from);
      return [Math.round(r0 + (r1 - r0) * t), Math.round(g0 + (g1 - g0) * t), Math.round(b0 + (b1 - b0) * t)];
    }
  }
  return [RAMP[RAMP.length - 1][1], RAMP[RAMP.length - 1][2], RAMP[RAMP.length - 1][3]];
}

/** Draws the map at its own resolution; CSS stretches the canvas over the whole image, as preprocessing did. */
export function paintHeatMap(canvas: HTMLCanvasElement, map: SaliencyMap): void {
  const height = map.values.length;
  const width = map.values[0]?.length ?? 0;
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context || width === 0) return;
  const image = context.createImageData(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = map.values[y][x];
      const [r, g, b] = rampColour(v);
      const at = (y * width + x) * 4;
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = b;
      image.data[at + 3] = Math.round(255 * Math.min(1, 0.15 + v));
    }
  }
  context.putImageData(image, 0, 0);
}

/** A horizontal legend of the ramp, low to high. */
export function paintLegend(canvas: HTMLCanvasElement): void {
  canvas.width = 128;
  canvas.height = 1;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(128, 1);
  for (let x = 0; x < 128; x++) {
    const [r, g, b] = rampColour(x / 127);
    image.data.set([r, g, b, 255], x * 4);
  }
  context.putImageData(image, 0, 0);
}
