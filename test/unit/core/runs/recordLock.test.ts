import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withRecordLock } from '../../../../src/core/runs/recordLock';

describe('withRecordLock', () => {
  test('a second holder waits until the first releases, and the lock is gone afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'classifier-lab-lock-'));
    try {
      const lock = join(dir, '.run.json.lock');
      const order: string[] = [];
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => { release = resolve; });
      const first = withRecordLock(lock, async () => {
        order.push('first in');
        await held;
        order.push('first out');
      });
      // Let the first holder take the lock.
      while (order.length === 0) await new Promise((resolve) => setImmediate(resolve));
      const second = withRecordLock(lock, async () => {
        order.push('second in');
        return 42;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(order, ['first in'], 'the second holder must not enter while the first holds the lock');
      release();
      await first;
      assert.equal(await second, 42);
      assert.deepEqual(order, ['first in', 'first out', 'second in']);
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a lock left by a process that died is broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'classifier-lab-lock-'));
    try {
      const lock = join(dir, '.run.json.lock');
      await mkdir(lock);
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(lock, longAgo, longAgo);
      assert.equal(await withRecordLock(lock, async () => 'entered'), 'entered');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a lock whose holder on this machine died is broken at once, not after it ages', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'classifier-lab-lock-'));
    try {
      const lock = join(dir, '.run.json.lock');
      await mkdir(lock);
      await writeFile(join(lock, 'owner'), `999999999 ${hostname()}\n`);
      const started = Date.now();
      assert.equal(await withRecordLock(lock, async () => 'entered'), 'entered');
      assert.ok(Date.now() - started < 2_000, `waited ${Date.now() - started} ms`);
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a lock held by a live process on this machine is waited for, even when it is old', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'classifier-lab-lock-'));
    try {
      const lock = join(dir, '.run.json.lock');
      await mkdir(lock);
      await writeFile(join(lock, 'owner'), `${process.pid} ${hostname()}\n`);
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(lock, longAgo, longAgo);
      const entered = withRecordLock(lock, async () => 'entered');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await rm(lock, { recursive: true });
      assert.equal(await entered, 'entered');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the lock is released when the holder throws', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'classifier-lab-lock-'));
    try {
      const lock = join(dir, '.run.json.lock');
      await assert.rejects(withRecordLock(lock, async () => { throw new Error('boom'); }), /boom/);
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
