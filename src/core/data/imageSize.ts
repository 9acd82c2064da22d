// The side length images are resized to: its default for folder datasets and its valid range.
import { DatasetError } from './dataset';

/** Side length of folder images when the spec does not give one. */
export const DEFAULT_FOLDER_IMAGE_SIZE = 32;
/** Largest accepted side length (a 1024 x 1024 x 3 example is already 3 MiB). */
export const MAX_IMAGE_SIZE = 1024;

/** Throws a DatasetError unless `size` is a whole number in 1..MAX_IMAGE_SIZE. */
export function checkImageSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > MAX_IMAGE_SIZE) {
    throw new DatasetError(`Image size must be a whole number from 1 to ${MAX_IMAGE_SIZE}, got ${size}.`);
  }
  return size;
}
