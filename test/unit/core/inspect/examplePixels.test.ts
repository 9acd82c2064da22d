import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ExamplePixelReader, parseExampleSource } from '../../../../src/core/inspect/examplePixels';
import { cifarRecord } from '../../../fixtures/cifarFixtures';
import { encodeIdx } from '../../../fixtures/idxFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

/** Three 4x5 grey images whose pixels encode (image, row, column). */
const IDX_PIXELS = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => i);

describe('ExamplePixelReader (thumbnails of examples inside binary datasets)', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir();
    writeFileSync(join(dir, 'images-idx3-ubyte'), encodeIdx([3, 4, 5], IDX_PIXELS));
    writeFileSync(join(dir, 'images-idx3-ubyte.gz'), gzipSync(encodeIdx([3, 4, 5], IDX_PIXELS)));
    const red = new Uint8Array(32 * 32 * 3);
    for (let p = 0; p < 32 * 32; p++) red.set([200, p % 256, 7], p * 3);
    writeFileSync(join(dir, 'data_batch_1.bin'), Buffer.concat([cifarRecord([1], new Uint8Array(32 * 32 * 3)), cifarRecord([3], red)]));
    writeFileSync(join(dir, 'train.bin'), Buffer.concat([cifarRecord([0, 5], red)]));
  });
  after(() => removeTempDir(dir));

  test('splits file#index sources and leaves plain paths alone', () => {
    assert.deepEqual(parseExampleSource('/d/train-images#812'), { file: '/d/train-images', index: 812 });
    assert.equal(parseExampleSource('/d/cat/0007.png'), undefined);
  });

  test('reads one IDX image, raw or gzipped, as the bytes of that image', async () => {
    const reader = new ExamplePixelReader();
    for (const name of ['images-idx3-ubyte', 'images-idx3-ubyte.gz']) {
      const example = await reader.read(`${join(dir, name)}#2`, 'idx');
      assert.deepEqual([example.width, example.height, example.channels], [5, 4, 1]);
      assert.deepEqual([...example.data], [...IDX_PIXELS.subarray(40, 60)]);
    }
    await assert.rejects(reader.read(`${join(dir, 'images-idx3-ubyte')}#3`, 'idx'), /no example 3/);
  });

  test('reads a CIFAR record into interleaved RGB, skipping CIFAR-10 and CIFAR-100 label bytes', async () => {
    const reader = new ExamplePixelReader();
    for (const [file, format] of [['data_batch_1.bin#1', 'cifar10'], ['train.bin#0', 'cifar100']] as const) {
      const example = await reader.read(join(dir, file), format);
      assert.deepEqual([example.width, example.height, example.channels], [32, 32, 3]);
      assert.deepEqual([...example.data.subarray(0, 6)], [200, 0, 7, 200, 1, 7]);
      assert.deepEqual([...example.data.subarray(3 * 300, 3 * 300 + 3)], [200, 300 % 256, 7]);
    }
  });
});
