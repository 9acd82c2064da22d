import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunStore } from '../../../../src/core/runs/runStore';
import { RUN_SCHEMA_VERSION, isNewerSchema } from '../../../../src/core/runs/runRecord';
import { RunStoreError } from '../../../../src/core/runs/runStoreError';
import { sampleSpec, tempRunsDir } from './runTestHelpers';

/** A clock the test moves by hand. */
function manualClock(start = '2026-11-27T07:15:02.000Z'): { now: () => Date; advance: (ms: number) => void } {
  let ms = Date.parse(start);
  return { now: () => new Date(ms), advance: (delta) => { ms += delta; } };
}

describe('RunStore', () => {
  test('creates a queued run with a sortable id, a default name and a readable run.json', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const clock = manualClock();
      const store = new RunStore(runsDir, { now: clock.now, hostname: 'here', isProcessAlive: () => true });
      const writer = await store.create({ spec: sampleSpec('/home/me/datasets/mnist') });
      assert.match(writer.id, /^20261127-071502-cnn-[0-9a-f]{4}$/);
      assert.equal(writer.runDir, join(runsDir, writer.id));
      const record = await store.read(writer.id);
      assert.equal(record.status, 'queued');
      assert.equal(record.name, 'cnn-mnist-1');
      assert.equal(record.schemaVersion, RUN_SCHEMA_VERSION);
      assert.equal(record.createdAt, '2026-11-27T07:15:02.000Z');
      assert.equal(record.summary.epochs, 3);
      assert.deepEqual(record.spec, sampleSpec('/home/me/datasets/mnist'));
      assert.equal(record.process?.pid, process.pid);
      assert.equal(record.process?.hostname, 'here');
      assert.match(record.process?.claim ?? '', /^[0-9a-f]{16}$/, 'the writer that holds the run is named by a claim token');
      // The file on disk is plain JSON a user can read.
      const onDisk = JSON.parse(await readFile(join(writer.runDir, 'run.json'), 'utf8')) as { id: string };
      assert.equal(onDisk.id, writer.id);
      await writer.close();
    } finally {
      await cleanup();
    }
  });

  test('lists runs newest first and numbers default names per model and dataset', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const clock = manualClock();
      const store = new RunStore(runsDir, { now: clock.now, isProcessAlive: () => true });
      const first = await store.create({ spec: sampleSpec('/data/mnist') });
      clock.advance(60_000);
      const second = await store.create({ spec: sampleSpec('/data/mnist') });
      clock.advance(60_000);
      const third = await store.create({ spec: sampleSpec('/data/cifar10'), name: '  my   best try ' });
      const runs = await store.list();
      assert.deepEqual(runs.map((run) => run.id), [third.id, second.id, first.id]);
      assert.deepEqual(runs.map((run) => run.name), ['my best try', 'cnn-mnist-2', 'cnn-mnist-1']);
      for (const writer of [first, second, third]) await writer.close();
    } finally {
      await cleanup();
    }
  });

  test('an empty or missing runs folder lists nothing', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      assert.deepEqual(await new RunStore(runsDir).list(), []);
      await mkdir(runsDir, { recursive: true });
      assert.deepEqual(await new RunStore(runsDir).scan(), { runs: [], unreadable: [] });
    } finally {
      await cleanup();
    }
  });

  test('runs created in the same second get distinct ids, even when the random part collides', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const clock = manualClock();
      const suffixes = ['aaaa', 'aaaa', 'aaaa', 'bbbb'];
      const store = new RunStore(runsDir, { now: clock.now, randomSuffix: () => suffixes.shift() ?? 'cccc' });
      const [a, b] = await Promise.all([store.create({ spec: sampleSpec() }), store.create({ spec: sampleSpec() })]);
      assert.deepEqual([a.id, b.id].sort(), ['20261127-071502-cnn-aaaa', '20261127-071502-cnn-bbbb']);
      assert.deepEqual([a.record.name, b.record.name].sort(), ['cnn-mnist-1', 'cnn-mnist-2']);

      // Many at once with real randomness: all folders distinct, all readable.
      const free = new RunStore(runsDir, { now: clock.now });
      const many = await Promise.all(Array.from({ length: 12 }, () => free.create({ spec: sampleSpec() })));
      const ids = new Set([a.id, b.id, ...many.map((writer) => writer.id)]);
      assert.equal(ids.size, 14);
      assert.equal((await free.list()).length, 14);
      for (const writer of [a, b, ...many]) await writer.close();
    } finally {
      await cleanup();
    }
  });

  test('rename and notes change run.json and keep every other field, including unknown ones', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      await writer.close();
      const path = join(writer.runDir, 'run.json');
      const raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      await writeFile(path, JSON.stringify({ ...raw, futureField: { keep: true } }));

      const renamed = await store.rename(writer.id, 'Baseline\nCNN');
      assert.equal(renamed.name, 'Baseline CNN');
      const noted = await store.setNotes(writer.id, 'lr too high?', [' lr ', 'baseline', 'lr', '']);
      assert.equal(noted.notes, 'lr too high?');
      assert.deepEqual(noted.tags, ['lr', 'baseline']);

      const reread = await store.read(writer.id);
      assert.equal(reread.name, 'Baseline CNN');
      assert.deepEqual(reread.tags, ['lr', 'baseline']);
      const after = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      assert.deepEqual(after.futureField, { keep: true });
      assert.deepEqual(after.spec, raw.spec);

      await store.setNotes(writer.id, '   ', []);
      const cleared = await store.read(writer.id);
      assert.equal(cleared.notes, undefined);
      assert.equal(cleared.tags, undefined);

      await assert.rejects(store.rename(writer.id, '   '), /cannot be empty/);
      await assert.rejects(store.rename('20990101-000000-cnn-0000', 'x'), /does not exist/);
    } finally {
      await cleanup();
    }
  });

  test('delete removes the folder, refuses a run that is still training, and forces when asked', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir, { isProcessAlive: () => true });
      const done = await store.create({ spec: sampleSpec() });
      await done.finish('completed');
      const live = await store.create({ spec: sampleSpec() });
      await live.start({ heartbeatIntervalMs: 0 });

      await store.delete(done.id);
      await assert.rejects(store.delete(live.id), (error: unknown) => error instanceof RunStoreError && /still training/.test(error.message));
      assert.deepEqual((await store.list()).map((run) => run.id), [live.id]);
      await live.close();
      await store.delete(live.id, { force: true });
      assert.deepEqual(await readdir(runsDir), []);
      await assert.rejects(store.delete(live.id), /no longer exists|Not found/);
    } finally {
      await cleanup();
    }
  });

  test('a running run whose process is gone reads as interrupted', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      let alive = true;
      const store = new RunStore(runsDir, { hostname: 'here', isProcessAlive: () => alive });
      const writer = await store.create({ spec: sampleSpec() });
      await writer.start({ heartbeatIntervalMs: 0 });
      assert.equal((await store.read(writer.id)).status, 'running');
      alive = false;
      assert.equal((await store.read(writer.id)).status, 'interrupted');
      assert.equal((await store.list())[0].status, 'interrupted');
      // Reading does not rewrite the file: the stored status stays what the trainer wrote.
      const onDisk = JSON.parse(await readFile(join(writer.runDir, 'run.json'), 'utf8')) as { status: string };
      assert.equal(onDisk.status, 'running');
      await writer.close();
    } finally {
      await cleanup();
    }
  });

  test('a real dead pid reads as interrupted with the default process probe', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      await writer.start({ heartbeatIntervalMs: 0 });
      await writer.close();
      const path = join(writer.runDir, 'run.json');
      const record = JSON.parse(await readFile(path, 'utf8')) as { process: { pid: number } };
      // Pids are capped far below this on every supported system, so no process has it.
      record.process.pid = 2 ** 30;
      await writeFile(path, JSON.stringify(record));
      assert.equal((await store.read(writer.id)).status, 'interrupted');
    } finally {
      await cleanup();
    }
  });

  test('a corrupt, empty or foreign run folder is listed as unreadable with the reason, not thrown', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const good = await store.create({ spec: sampleSpec() });
      await good.close();
      await mkdir(join(runsDir, '20261127-000000-cnn-bad1'));
      await writeFile(join(runsDir, '20261127-000000-cnn-bad1', 'run.json'), '{"schemaVersion": 1, "status": "runn');
      await mkdir(join(runsDir, '20261127-000000-cnn-bad2'));
      await writeFile(join(runsDir, '20261127-000000-cnn-bad2', 'run.json'), '');
      await mkdir(join(runsDir, 'notes'));
      await writeFile(join(runsDir, 'stray.txt'), 'not a run');
      await mkdir(join(runsDir, '.deleting-x'));

      const listing = await store.scan();
      assert.deepEqual(listing.runs.map((run) => run.id), [good.id]);
      const reasons = Object.fromEntries(listing.unreadable.map((entry) => [entry.id, entry.reason]));
      assert.deepEqual(Object.keys(reasons).sort(), ['20261127-000000-cnn-bad1', '20261127-000000-cnn-bad2', 'notes']);
      assert.match(reasons['20261127-000000-cnn-bad1'], /not valid JSON/);
      assert.match(reasons['20261127-000000-cnn-bad2'], /empty/);
      assert.match(reasons.notes, /no run\.json/);
      assert.deepEqual((await store.list()).map((run) => run.id), [good.id]);
      await assert.rejects(store.read('20261127-000000-cnn-bad1'), (error: unknown) => error instanceof RunStoreError && /not valid JSON/.test(error.message));
    } finally {
      await cleanup();
    }
  });

  test('a huge run.json is refused by its size without being read, and its reason prints safely', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const good = await store.create({ spec: sampleSpec() });
      await good.close();
      const huge = join(runsDir, '20261127-000000-cnn-huge');
      await mkdir(huge);
      // 600 MB of NUL bytes after a brace (sparse: costs no disk).
      await writeFile(join(huge, 'run.json'), '{');
      await truncate(join(huge, 'run.json'), 600 * 1024 * 1024);
      const rssBefore = process.memoryUsage().rss;
      const listing = await store.scan();
      const grown = process.memoryUsage().rss - rssBefore;
      assert.deepEqual(listing.runs.map((run) => run.id), [good.id]);
      assert.equal(listing.unreadable.length, 1);
      assert.match(listing.unreadable[0].reason, /^run\.json is 600\.0 MiB, more than the 8\.0 MiB a run record can be/);
      assert.ok(grown < 100 * 1024 * 1024, `listing grew the process by ${(grown / 1e6).toFixed(0)} MB`);

      // A small file full of control characters: the reason quotes none of them raw.
      const noisy = join(runsDir, '20261127-000000-cnn-noisy');
      await mkdir(noisy);
      await writeFile(join(noisy, 'run.json'), '\u0000\u001b[2J\u001b]0;owned\u0007');
      const reason = (await store.scan()).unreadable.find((entry) => entry.id.endsWith('noisy'))?.reason ?? '';
      assert.match(reason, /not valid JSON/);
      const controls = [...reason].filter((char) => char.charCodeAt(0) < 0x20 || (char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f));
      assert.deepEqual(controls, [], 'no raw control characters');
    } finally {
      await cleanup();
    }
  });

  test('reads a run from a newer schema and flags it, and a minimal old record gets defaults', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      await mkdir(join(runsDir, 'newer'), { recursive: true });
      await writeFile(join(runsDir, 'newer', 'run.json'), JSON.stringify({
        schemaVersion: 7, id: 'copied-from-elsewhere', name: 'from the future', status: 'completed',
        createdAt: '2027-01-01T00:00:00.000Z', updatedAt: '2027-01-01T01:00:00.000Z', spec: sampleSpec(),
        summary: { epochs: 3, bestValAcc: 0.9, newMetric: 1 }, dataset: 'now a string', hyperspace: true,
      }));
      await mkdir(join(runsDir, 'minimal'));
      await writeFile(join(runsDir, 'minimal', 'run.json'), JSON.stringify({
        status: 'completed', createdAt: '2026-01-01T00:00:00.000Z', spec: sampleSpec('/d/x', 9),
      }));
      const [newer, minimal] = await store.list();
      assert.equal(newer.id, 'newer', 'the folder name is the id');
      assert.equal(isNewerSchema(newer), true);
      assert.equal(newer.summary.bestValAcc, 0.9);
      assert.equal(newer.dataset, undefined, 'a field of an unknown shape is dropped rather than crashing a viewer');
      assert.equal(isNewerSchema(minimal), false);
      assert.equal(minimal.name, 'minimal');
      assert.equal(minimal.updatedAt, '2026-01-01T00:00:00.000Z');
      assert.deepEqual(minimal.summary, { epochs: 9 });
      await assert.rejects(store.openWriter('newer'), /newer Classifier Lab/);
    } finally {
      await cleanup();
    }
  });

  test('refuses ids that would leave the runs folder', async () => {
    const store = new RunStore('/tmp/never-created-runs');
    for (const id of ['..', '../etc', 'a/b', 'a\\b', '.hidden', '']) {
      assert.throws(() => store.runDir(id), RunStoreError, id);
      await assert.rejects(store.read(id), RunStoreError);
    }
  });

  test('openWriter refuses a run another live process is training, and allows an interrupted one', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      let alive = true;
      const store = new RunStore(runsDir, { hostname: 'here', isProcessAlive: () => alive });
      const writer = await store.create({ spec: sampleSpec() });
      await writer.start({ heartbeatIntervalMs: 0 });
      await writer.close();
      const path = join(writer.runDir, 'run.json');
      const record = JSON.parse(await readFile(path, 'utf8')) as { process: { pid: number } };
      record.process.pid = process.pid + 1;
      await writeFile(path, JSON.stringify(record));
      await assert.rejects(store.openWriter(writer.id), /already being trained by process/);
      alive = false;
      const resumed = await store.openWriter(writer.id);
      await resumed.start({ heartbeatIntervalMs: 0, resumedFrom: 2 });
      alive = true; // the resuming process (this one) is alive
      const after = await store.read(writer.id);
      assert.equal(after.status, 'running');
      assert.equal(after.resumedFrom, 2);
      assert.equal(after.process?.pid, process.pid);
      await resumed.close();
    } finally {
      await cleanup();
    }
  });
});
