// The image size to suggest for a folder dataset, from the sizes of its images as their headers give them.

/** The sizes offered for folder datasets: every model takes them at about the cost of 32 px images. */
export const SUGGESTED_IMAGE_SIZES = [32, 64, 96, 128] as const;

export interface ImageSizeSuggestion {
  /** One of SUGGESTED_IMAGE_SIZES. */
  size: number;
  /** The median of the sampled images' shorter sides, in pixels. */
  medianShortSide: number;
  /** How many images were looked at. */
  sampled: number;
}

/**
 * The largest offered size no larger than the median image's shorter side (images are shrunk, not
 * enlarged, and an image's short side survives any EXIF turn), capped at 128; 32 for smaller images.
 * Undefined when no image size is known.
 */
export function suggestImageSize(dimensions: readonly { width: number; height: number }[]): ImageSizeSuggestion | undefined {
  const sides = dimensions.map((d) => Math.min(d.width, d.height)).filter((s) => Number.isFinite(s) && s > 0).sort((a, b) => a - b);
  if (sides.length === 0) return undefined;
  const middle = sides.length >> 1;
  const medianShortSide = sides.length % 2 === 1 ? sides[middle] : (sides[middle - 1] + sides[middle]) / 2;
  const size = [...SUGGESTED_IMAGE_SIZES].reverse().find((s) => s <= medianShortSide) ?? SUGGESTED_IMAGE_SIZES[0];
  return { size, medianShortSide, sampled: sides.length };
}
