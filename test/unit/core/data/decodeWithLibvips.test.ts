// Photos through libvips: a phone photo stored sideways with an EXIF orientation is read upright,
// colour profiles and CMYK come out as sRGB, transparency is composited onto white, shrink-on-load
// gives what a full decode and resize gives, and the image limits and the refusal of truncated files
// hold on this path as on our decoders'.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeImage, decodeImageToModelInput } from '../../../../src/core/data/imageDecode';
import { chooseImageDecoder } from '../../../../src/core/data/imageDecoderChoice';
import { readImageHeader } from '../../../../src/core/data/imageHeader';
import { toModelInput } from '../../../../src/core/data/imagePreprocess';
import { encodePng } from '../../../fixtures/imageFixtures';
import { cmykJpeg, displayP3Jpeg, gradient, halfTransparentPng, lossyWebp, plainJpeg, rotatedJpeg, twoBands } from '../../../fixtures/photoFixtures';

const RED: [number, number, number] = [220, 30, 30];
const BLUE: [number, number, number] = [30, 30, 220];

/** Mean of each channel over rows [from, to) of a packed [h, w, 3] image. */
function meanColour(pixels: Uint8Array, width: number, from: number, to: number): number[] {
  const sum = [0, 0, 0];
  for (let y = from; y < to; y++) for (let x = 0; x < width; x++) for (let k = 0; k < 3; k++) sum[k] += pixels[(y * width + x) * 3 + k];
  return sum.map((s) => s / ((to - from) * width));
}

function near(actual: number[], expected: readonly number[], tolerance: number, what: string): void {
  actual.forEach((v, k) => assert.ok(Math.abs(v - expected[k]) <= tolerance, `${what}: channel ${k} is ${v.toFixed(1)}, expected ${expected[k]} ± ${tolerance}`));
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('photos through libvips', () => {
  test('a portrait photo stored sideways with EXIF orientation 6 is read upright', async () => {
    // Upright: 600 wide, 800 tall, red on top, blue below. Stored 800 x 600 with the tag.
    const file = await rotatedJpeg(twoBands(600, 800, RED, BLUE));
    const header = readImageHeader(file);
    assert.deepEqual([header.width, header.height, header.orientation], [800, 600, 6]);
    assert.equal(chooseImageDecoder(header), 'libvips');
    const input = await decodeImageToModelInput(file, [32, 32, 3]);
    near(meanColour(input, 32, 0, 14), RED, 12, 'top');
    near(meanColour(input, 32, 18, 32), BLUE, 12, 'bottom');
    // The stored pixels alone (what a decoder blind to the tag sees) have red on the left, not on top.
    const blind = toModelInput(decodeImage(file), [32, 32, 3]);
    assert.ok(Math.abs(meanColour(blind, 32, 0, 14)[0] - RED[0]) > 60, 'the stored pixels are sideways');
  });

  test('a Display P3 JPEG with its profile is converted to sRGB; a CMYK JPEG too', async () => {
    // Pure sRGB red is (about 234, 51, 35) in P3 numbers: a decoder that ignores the profile is off by ~20-50.
    const red = twoBands(300, 200, [255, 0, 0], [255, 0, 0]);
    const p3 = await displayP3Jpeg(red);
    assert.equal(readImageHeader(p3).iccProfile, true);
    const stored = toModelInput(decodeImage(p3), [8, 8, 3]);
    assert.ok(meanColour(stored, 8, 0, 8)[1] > 25, 'the stored samples are P3 numbers, not sRGB red');
    near(meanColour(await decodeImageToModelInput(p3, [8, 8, 3]), 8, 0, 8), [253, 3, 3], 8, 'P3 red as sRGB');

    // Colours inside the print gamut, so the CMYK round trip can keep them.
    const orange: [number, number, number] = [230, 120, 40];
    const teal: [number, number, number] = [40, 140, 150];
    const cmyk = await cmykJpeg(twoBands(320, 240, orange, teal));
    assert.equal(readImageHeader(cmyk).components, 4);
    const input = await decodeImageToModelInput(cmyk, [16, 16, 3]);
    near(meanColour(input, 16, 1, 7), orange, 25, 'CMYK top');
    near(meanColour(input, 16, 9, 15), teal, 25, 'CMYK bottom');
  });

  test('shrink-on-load of a 12-megapixel JPEG and a large WebP gives what decoding every pixel and resizing gives', async () => {
    const photo = gradient(4000, 3000);
    const jpeg = await plainJpeg(photo);
    const viaLibvips = await decodeImageToModelInput(jpeg, [32, 32, 3]);
    const fullDecode = toModelInput(decodeImage(jpeg), [32, 32, 3]);
    const difference = meanAbsoluteDifference(viaLibvips, fullDecode);
    assert.ok(difference < 3, `mean difference ${difference.toFixed(2)} grey levels`);

    const small = gradient(640, 480);
    const webp = await lossyWebp(small);
    assert.equal(chooseImageDecoder(readImageHeader(webp)), 'libvips');
    const webpDifference = meanAbsoluteDifference(await decodeImageToModelInput(webp, [24, 24, 3]), toModelInput(decodeImage(webp), [24, 24, 3]));
    assert.ok(webpDifference < 3, `WebP mean difference ${webpDifference.toFixed(2)} grey levels`);
  });

  test('transparency is composited onto white, and a grey model gets the luma', async () => {
    const png = await halfTransparentPng(twoBands(400, 300, BLUE, BLUE));
    assert.equal(chooseImageDecoder(readImageHeader(png)), 'libvips');
    const input = await decodeImageToModelInput(png, [10, 10, 3]);
    // Left half transparent: white. Right half: blue.
    const left = [0, 0, 0];
    const right = [0, 0, 0];
    for (let y = 0; y < 10; y++) {
      for (let k = 0; k < 3; k++) {
        left[k] += input[(y * 10 + 1) * 3 + k] / 10;
        right[k] += input[(y * 10 + 8) * 3 + k] / 10;
      }
    }
    near(left, [255, 255, 255], 3, 'transparent half');
    near(right, BLUE, 8, 'opaque half');
    const grey = await decodeImageToModelInput(await plainJpeg(twoBands(300, 300, RED, RED)), [4, 4, 1]);
    assert.equal(grey.length, 16);
    const luma = 0.299 * RED[0] + 0.587 * RED[1] + 0.114 * RED[2];
    for (const v of grey) assert.ok(Math.abs(v - luma) < 8, `luma ${v}, expected about ${luma.toFixed(0)}`);
  });

  test('truncated and damaged photos are unreadable files, never blank images', async () => {
    const jpeg = await plainJpeg(gradient(1200, 900));
    await assert.rejects(decodeImageToModelInput(jpeg.subarray(0, jpeg.length >> 1), [32, 32, 3]), /truncated JPEG/);
    // Cut in the middle of the scan, the end-of-image marker put back: the entropy data runs short.
    const spliced = Buffer.concat([jpeg.subarray(0, jpeg.length >> 1), Buffer.from([0xff, 0xd9])]);
    await assert.rejects(decodeImageToModelInput(spliced, [32, 32, 3]), /JPEG/);
    const webp = await lossyWebp(gradient(800, 600));
    await assert.rejects(decodeImageToModelInput(webp.subarray(0, webp.length >> 1), [32, 32, 3]), /WebP/);
    // A large PNG whose pixel stream is a few bytes: what our decoder says of it, not libvips' terse reason.
    const short = encodePng({ width: 600, height: 600, colorType: 2, bitDepth: 8, samples: new Array<number>(600 * 600 * 3).fill(9) });
    const idat = short.indexOf('IDAT');
    const cut = Buffer.concat([short.subarray(0, idat + 4 + 40), short.subarray(short.length - 12)]);
    await assert.rejects(decodeImageToModelInput(cut, [32, 32, 3]), /PNG/);
  });

  test('the image limits hold on the libvips path: a side over the limit is refused from the header', async () => {
    const jpeg = await plainJpeg(gradient(300, 200));
    // Rewrite the frame header's width to 40,000 pixels.
    const bytes = Buffer.from(jpeg);
    for (let at = 2; at < bytes.length - 9; at++) {
      if (bytes[at] === 0xff && (bytes[at + 1] === 0xc0 || bytes[at + 1] === 0xc2)) {
        bytes.writeUInt16BE(40_000, at + 7);
        break;
      }
    }
    await assert.rejects(decodeImageToModelInput(bytes, [32, 32, 3]), /each side may be at most 30,000/);
  });
});
