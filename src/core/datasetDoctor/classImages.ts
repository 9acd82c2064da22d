// Per-class pictures of a dataset: the mean image of each class and an evenly drawn sample of it.
import seedrandom from 'seedrandom';
import type { ExamplePixels } from '../inspect/examplePixels';
import type { ImageShape } from '../runSpec';
import type { SampleImage, Split } from './datasetReport';

interface Reservoir {
  seen: number;
  items: (SampleImage & { order: number })[];
}

/** Accumulates the images of each class (at one shape) as they stream past. */
export class ClassImages {
  private readonly sums: Float64Array[];
  private readonly counts: number[];
  private readonly reservoirs: Record<Split, Reservoir>[];
  private readonly random = seedrandom('classifier-lab:dataset-doctor:samples');
  private order = 0;

  constructor(classCount: number, private readonly shape: ImageShape, private readonly samplesPerClass: number) {
    const size = shape[0] * shape[1] * shape[2];
    this.sums = Array.from({ length: classCount }, () => new Float64Array(size));
    this.counts = new Array<number>(classCount).fill(0);
    this.reservoirs = Array.from({ length: classCount }, () => ({ train: { seen: 0, items: [] }, test: { seen: 0, items: [] } }));
  }

  /** Adds one readable image: packed [height, width, channels] pixels at the shape. */
  add(classIndex: number, split: Split, source: string, pixels: Uint8Array): void {
    const sum = this.sums[classIndex];
    for (let i = 0; i < sum.length; i++) sum[i] += pixels[i];
    this.counts[classIndex]++;
    // Reservoir sampling: every image of the class is equally likely to be kept, in one pass.
    const reservoir = this.reservoirs[classIndex][split];
    reservoir.seen++;
    const slot = reservoir.items.length < this.samplesPerClass
      ? reservoir.items.length
      : Math.floor(this.random() * reservoir.seen);
    if (slot < this.samplesPerClass) {
      reservoir.items[slot] = { source, split, pixels: this.pixelsOf(pixels.slice()), order: this.order };
    }
    this.order++;
  }

  /** The class's mean image, rounded to uint8; undefined when it has no readable image. */
  meanImage(classIndex: number): ExamplePixels | undefined {
    const count = this.counts[classIndex];
    if (count === 0) return undefined;
    return this.pixelsOf(Uint8Array.from(this.sums[classIndex], (v) => Math.round(v / count)));
  }

  /** The class's sample, in dataset order: training images, or test images when it has no training image. */
  samples(classIndex: number): SampleImage[] {
    const { train, test } = this.reservoirs[classIndex];
    const items = train.items.length > 0 ? train.items : test.items;
    return [...items].sort((a, b) => a.order - b.order).map(({ source, split, pixels }) => ({ source, split, pixels }));
  }

  private pixelsOf(data: Uint8Array): ExamplePixels {
    return { height: this.shape[0], width: this.shape[1], channels: this.shape[2], data };
  }
}
