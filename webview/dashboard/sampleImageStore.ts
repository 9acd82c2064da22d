// Sample thumbnails by their position in predictions.json: asked of the extension in small batches,
// kept once they arrive, handed to every gallery waiting for them.
import type { SampleImage } from '../../src/protocol/dashboardView';
import { dashboardHost } from './dashboardHost';

const MAX_PER_REQUEST = 200;

export class SampleImageStore {
  private readonly images = new Map<number, SampleImage>();
  private readonly requested = new Set<number>();
  private readonly waiting = new Map<number, ((image: SampleImage) => void)[]>();

  /** Calls `use` with the image now if it is here, else when it arrives. */
  get(index: number, use: (image: SampleImage) => void): void {
    const image = this.images.get(index);
    if (image) {
      use(image);
      return;
    }
    const list = this.waiting.get(index) ?? [];
    list.push(use);
    this.waiting.set(index, list);
  }

  /** Asks for the images of these samples that are neither here nor already asked for. */
  request(indices: readonly number[]): void {
    const wanted = indices.filter((index) => !this.images.has(index) && !this.requested.has(index));
    for (let i = 0; i < wanted.length; i += MAX_PER_REQUEST) {
      const chunk = wanted.slice(i, i + MAX_PER_REQUEST);
      for (const index of chunk) this.requested.add(index);
      dashboardHost.post({ type: 'requestSampleImages', indices: chunk });
    }
  }

  receive(images: readonly SampleImage[]): void {
    for (const image of images) {
      this.images.set(image.index, image);
      this.requested.delete(image.index);
      const list = this.waiting.get(image.index) ?? [];
      this.waiting.delete(image.index);
      for (const use of list) use(image);
    }
  }

  /** predictions.json was rewritten (a better epoch): positions now mean other samples. */
  clear(): void {
    this.images.clear();
    this.requested.clear();
    this.waiting.clear();
  }
}
