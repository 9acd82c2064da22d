import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecodePool } from '../../../../src/core/data/decodePool';
import { decodeImageFiles } from '../../../../src/core/data/decodeImageFiles';
import { encodeJpeg, encodePngPixels } from '../../../fixtures/imageFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir: string;
let paths: string[];
before(() => {
  dir = makeTempDir();
  paths = Array.from({ length: 40 }, (_, i) => {
    const pixels = Uint8Array.from({ length: 9 * 7 * 3 }, (_, k) => (k * (i + 1)) % 256);
    const path = join(dir, `${i}.${i % 2 ? 'jpg' : 'png'}`);
    writeFileSync(path, i % 2 ? encodeJpeg(pixels, 9, 7) : encodePngPixels(pixels, 9, 7, 3));
    return path;
  });
  writeFileSync(paths[7], 'broken');
});
after(() => removeTempDir(dir));

describe('DecodePool', () => {
  test('worker threads decode exactly what the calling thread decodes, failures included', async () => {
    const pool = new DecodePool(2);
    try {
      const threaded = await pool.decode(paths, [8, 8, 3]);
      assert.equal(pool.usesWorkers, true, 'the workers should have started');
      const local = await decodeImageFiles(paths, [8, 8, 3]);
      assert.deepEqual(threaded.pixels, local.pixels);
      assert.deepEqual(threaded.failures, local.failures);
      assert.deepEqual(threaded.failures.map((f) => f.index), [7]);
      // Concurrent requests each get their own answer.
      const [a, b] = await Promise.all([pool.decode(paths.slice(0, 3), [4, 4, 1]), pool.decode(paths.slice(3, 4), [4, 4, 1])]);
      assert.deepEqual(a.pixels, (await decodeImageFiles(paths.slice(0, 3), [4, 4, 1])).pixels);
      assert.deepEqual(b.pixels, (await decodeImageFiles(paths.slice(3, 4), [4, 4, 1])).pixels);
    } finally {
      await pool.close();
    }
  });

  test('when a worker cannot start, decoding falls back to the calling thread', async () => {
    const pool = new DecodePool(1, { script: 'throw new Error("no workers here")', eval: true });
    try {
      const result = await pool.decode(paths, [8, 8, 3]);
      assert.equal(pool.usesWorkers, false);
      assert.deepEqual(result.pixels, (await decodeImageFiles(paths, [8, 8, 3])).pixels);
    } finally {
      await pool.close();
    }
  });

  test('closing lets a begun decode finish, drops the waiting ones, and the pool decodes again after', async () => {
    const pool = new DecodePool(1);
    const begun = pool.decode(paths.slice(0, 4), [8, 8, 3]);
    const dropped = assert.rejects(pool.decode(paths.slice(4, 8), [8, 8, 3]), (error: Error) => error.name === 'AbortError');
    await pool.close();
    assert.deepEqual((await begun).pixels, (await decodeImageFiles(paths.slice(0, 4), [8, 8, 3])).pixels);
    await dropped;
    try {
      const again = await pool.decode(paths.slice(8, 12), [8, 8, 3]);
      assert.equal(pool.usesWorkers, true);
      assert.deepEqual(again.pixels, (await decodeImageFiles(paths.slice(8, 12), [8, 8, 3])).pixels);
    } finally {
      await pool.close();
    }
  });

  test('size 0 decodes on the calling thread', async () => {
    const pool = new DecodePool(0);
    assert.equal(pool.usesWorkers, false);
    assert.equal((await pool.decode(paths.slice(0, 2), [2, 2, 3])).pixels.length, 24);
  });
});
