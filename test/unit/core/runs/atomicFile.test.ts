import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceDirAtomic, writeFileAtomic, writeJsonAtomic } from '../../../../src/core/runs/atomicFile';

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'classifier-lab-atomic-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('atomic writes', () => {
  test('writeJsonAtomic replaces the content and leaves no temporary file', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'run.json');
      await writeJsonAtomic(path, { status: 'queued' });
      await writeJsonAtomic(path, { status: 'running', epoch: 2 });
      assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { status: 'running', epoch: 2 });
      assert.deepEqual(await readdir(dir), ['run.json']);
    });
  });

  test('concurrent writers of one file leave one complete version, never a mix', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'run.json');
      const versions = Array.from({ length: 20 }, (_, i) => ({ version: i, padding: 'x'.repeat(20_000 + i) }));
      await Promise.all(versions.map((value) => writeJsonAtomic(path, value)));
      const final = JSON.parse(await readFile(path, 'utf8')) as { version: number; padding: string };
      assert.equal(final.padding.length, 20_000 + final.version);
      assert.deepEqual(await readdir(dir), ['run.json']);
    });
  });

  test('when the temporary file cannot be created, the old content survives and nothing is left behind', async () => {
    await withTempDir(async (dir) => {
      // The target name fits the file system's limit, its temporary sibling (name + pid + random) does not.
      const path = join(dir, 'r'.repeat(240));
      await writeFile(path, 'old');
      await assert.rejects(writeFileAtomic(path, 'new'), { code: 'ENAMETOOLONG' });
      assert.equal(await readFile(path, 'utf8'), 'old');
      assert.deepEqual(await readdir(dir), ['r'.repeat(240)]);
    });
  });

  test('when the final rename fails, the old content survives and the temporary file is removed', async () => {
    await withTempDir(async (dir) => {
      // A folder in the way: the rename over it fails after the temporary file was fully written.
      const path = join(dir, 'predictions.json');
      await mkdir(path);
      await writeFile(join(path, 'keep.txt'), 'old');
      await assert.rejects(writeJsonAtomic(path, { items: [] }));
      assert.equal(await readFile(join(path, 'keep.txt'), 'utf8'), 'old');
      assert.deepEqual(await readdir(dir), ['predictions.json']);
    });
  });

  test('replaceDirAtomic swaps a whole folder, and a failing fill keeps the previous folder', async () => {
    await withTempDir(async (dir) => {
      const model = join(dir, 'model');
      await replaceDirAtomic(model, async (tmp) => {
        await writeFile(join(tmp, 'model.json'), '{"v":1}');
        await writeFile(join(tmp, 'weights.bin'), Buffer.alloc(8));
      });
      await replaceDirAtomic(model, async (tmp) => {
        await writeFile(join(tmp, 'model.json'), '{"v":2}');
      });
      assert.deepEqual(await readdir(model), ['model.json'], 'files of the old folder do not linger');
      await assert.rejects(replaceDirAtomic(model, async (tmp) => {
        await writeFile(join(tmp, 'model.json'), '{"v":3}');
        throw new Error('weights could not be serialised');
      }), /weights could not be serialised/);
      assert.equal(await readFile(join(model, 'model.json'), 'utf8'), '{"v":2}');
      assert.deepEqual(await readdir(dir), ['model']);
    });
  });
});
