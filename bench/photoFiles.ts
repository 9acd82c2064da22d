// Photo-like image files for the benchmarks: generated content that makes JPEG, PNG and WebP do real work.
import sharp from 'sharp';

/** Photo-like content: smooth shapes, a gradient and sensor-like noise (JPEG has real work to do). */
export function photoPixels(width: number, height: number, seed: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761 >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1664525 + 1013904223) >>> 0;
      const noise = (state >>> 24) % 17 - 8;
      const u = x / width;
      const v = y / height;
      const blob = Math.hypot(u - 0.3 - seed % 5 * 0.1, v - 0.5) < 0.2 ? 80 : 0;
      const p = (y * width + x) * 3;
      data[p] = Math.max(0, Math.min(255, 60 + 150 * u + blob + noise));
      data[p + 1] = Math.max(0, Math.min(255, 90 + 100 * v + noise));
      data[p + 2] = Math.max(0, Math.min(255, 140 + 80 * Math.sin(6 * u + seed) - blob + noise));
    }
  }
  return data;
}

/** The photo encoded as a file; `orientation` stores an EXIF orientation tag (6: viewed turned a quarter clockwise). */
export async function encodePhoto(width: number, height: number, seed: number, format: 'jpeg' | 'png' | 'webp', orientation?: number): Promise<Buffer> {
  let image = sharp(photoPixels(width, height, seed), { raw: { width, height, channels: 3 } });
  if (orientation) image = image.withMetadata({ orientation });
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : format === 'png' ? image.png().toBuffer() : image.webp({ quality: 85 }).toBuffer();
}
