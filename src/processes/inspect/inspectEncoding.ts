// The engine's pixel-carrying results (a dataset report, an augmentation preview) in the form they
// travel to the extension host and on to a webview: every Uint8Array as base64 (src/protocol/inspect.ts).
import type { DatasetReport } from '../../core/datasetDoctor/datasetReport';
import type { ExamplePixels } from '../../core/inspect/examplePixels';
import type { AugmentationPreview } from '../../core/train/augmentationPreview';
import type { EncodedDatasetReport, EncodedPixels, EncodedPreview } from '../../protocol/inspect';

export function encodePixels(pixels: ExamplePixels): EncodedPixels {
  return { width: pixels.width, height: pixels.height, channels: pixels.channels, pixels: Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength).toString('base64') };
}

export function encodeReport(report: DatasetReport): EncodedDatasetReport {
  return {
    ...report,
    classes: report.classes.map(({ meanImage, samples, ...counts }) => ({
      ...counts,
      ...(meanImage ? { meanImage: encodePixels(meanImage) } : {}),
      samples: samples.map((sample) => ({ source: sample.source, split: sample.split, pixels: encodePixels(sample.pixels) })),
    })),
  };
}

export function encodePreview(preview: AugmentationPreview, classes: string[], trainCount: number): EncodedPreview {
  const [height, width, channels] = preview.imageShape;
  const pixels = (data: Uint8Array) => encodePixels({ width, height, channels, data });
  return {
    epoch: preview.epoch, imageShape: preview.imageShape, augment: preview.augment, classes, trainCount,
    images: preview.images.map((image) => ({
      example: image.example, source: image.source, label: image.label, position: image.position,
      original: pixels(image.original), augmented: pixels(image.augmentedPixels),
    })),
  };
}
