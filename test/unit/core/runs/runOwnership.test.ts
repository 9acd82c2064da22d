// Who may write a run, and what a run reads as when its writer died: one writer at a time (stale
// claims of dead writers are taken over), and a run whose log says it ended reads as ended.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunStore } from '../../../../src/core/runs/runStore';
import { epochEndEvent, runStartEvent, sampleSpec, tempRunsDir } from './runTestHelpers';

/** A run that trained one epoch and whose trainer then died (run.json still says running). */
async function diedAfterOneEpoch(runsDir: string): Promise<{ id: string; runDir: string }> {
  const store = new RunStore(runsDir, { hostname: 'here' });
  const writer = await store.create({ spec: sampleSpec() });
  await writer.start({ heartbeatIntervalMs: 0 });
  await writer.append(runStartEvent());
  await writer.append(epochEndEvent(1, 0.7, true));
  await writer.close();
  // The trainer process is gone: its record names a pid that no longer exists.
  const path = join(writer.runDir, 'run.json');
  const record = JSON.parse(await readFile(path, 'utf8')) as { process: { pid: number; hostname?: string; claim?: string } };
  record.process = { pid: 999_999_999, hostname: 'here' };
  await writeFile(path, JSON.stringify(record));
  return { id: writer.id, runDir: writer.runDir };
}

describe('a run whose run.json missed its end', () => {
  test('reads as the runEnd line in metrics.jsonl says, with its summary, and cannot be resumed when completed', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const { id, runDir } = await diedAfterOneEpoch(runsDir);
      const store = new RunStore(runsDir, { hostname: 'here' });
      assert.equal((await store.read(id)).status, 'interrupted', 'without a runEnd line the run is resumable');
      await appendFile(join(runDir, 'metrics.jsonl'), JSON.stringify({
        type: 'runEnd', time: '2026-11-27T08:00:00.000Z', status: 'completed', best: { epoch: 1, valAcc: 0.7 }, testAcc: 0.66,
      }) + '\n');
      const record = await store.read(id);
      assert.equal(record.status, 'completed');
      assert.equal(record.endedAt, '2026-11-27T08:00:00.000Z');
      assert.equal(record.summary.testAcc, 0.66);
      assert.equal(record.summary.bestValAcc, 0.7);
      assert.deepEqual((await store.list()).map((run) => run.status), ['completed']);
      await assert.rejects(store.openWriter(id, { resume: true }), /already completed/);
    } finally {
      await cleanup();
    }
  });

  test('a cancelled end reads as cancelled and stays resumable; a cut last line is not an end', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const { id, runDir } = await diedAfterOneEpoch(runsDir);
      const store = new RunStore(runsDir, { hostname: 'here' });
      await appendFile(join(runDir, 'metrics.jsonl'), '{"type":"runEnd","time":"2026-11-27T08:00:00.000Z","status":"canc');
      assert.equal((await store.read(id)).status, 'interrupted');
      await appendFile(join(runDir, 'metrics.jsonl'), 'elled","best":{"epoch":1,"valAcc":0.7}}\n');
      assert.equal((await store.read(id)).status, 'cancelled');
      const writer = await store.openWriter(id, { resume: true });
      await writer.close();
      assert.equal((await store.read(id)).status, 'cancelled', 'a claim given up before training keeps the status');
    } finally {
      await cleanup();
    }
  });
});

describe('one writer per run', () => {
  test('a second writer is refused while the first holds the run, in this process too; then it may take over', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const { id } = await diedAfterOneEpoch(runsDir);
      const store = new RunStore(runsDir, { hostname: 'here' });
      const first = await store.openWriter(id, { resume: true });
      const [second, third] = await Promise.allSettled([store.openWriter(id, { resume: true }), store.openWriter(id)]);
      assert.equal(second.status, 'rejected');
      assert.equal(third.status, 'rejected');
      assert.match(String((second as PromiseRejectedResult).reason), new RegExp(`already being trained by process ${process.pid} on here`));
      assert.equal((await store.read(id)).status, 'queued', 'the held run reads as queued, owned by the first writer');
      await first.close();
      const next = await store.openWriter(id, { resume: true });
      await next.close();
    } finally {
      await cleanup();
    }
  });

  test('of many writers racing for one run, exactly one wins', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const { id } = await diedAfterOneEpoch(runsDir);
      const stores = Array.from({ length: 6 }, () => new RunStore(runsDir, { hostname: 'here' }));
      const results = await Promise.allSettled(stores.map((store) => store.openWriter(id, { resume: true })));
      const winners = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<RunStore['openWriter']>>> => r.status === 'fulfilled');
      assert.equal(winners.length, 1, results.map((r) => r.status).join(', '));
      await winners[0].value.close();
    } finally {
      await cleanup();
    }
  });

  test('the claim of a writer whose process died is stale and is taken over', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const { id, runDir } = await diedAfterOneEpoch(runsDir);
      const path = join(runDir, 'run.json');
      const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      await writeFile(path, JSON.stringify({ ...record, status: 'queued', process: { pid: 999_999_998, hostname: 'here', claim: 'c0ffee' } }));
      const store = new RunStore(runsDir, { hostname: 'here' });
      assert.equal((await store.read(id)).status, 'interrupted');
      const writer = await store.openWriter(id, { resume: true });
      assert.equal(writer.record.process?.pid, process.pid);
      await writer.close();
    } finally {
      await cleanup();
    }
  });

  test('a queued run that names no process (handed to a job that has not started) is taken by the first trainer, and only by it', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const { id } = await diedAfterOneEpoch(runsDir);
      const submitter = new RunStore(runsDir, { hostname: 'login' });
      await submitter.editRecord(id, (raw) => {
        raw.status = 'queued';
        delete raw.process;
      });
      const trainer = new RunStore(runsDir, { hostname: 'here' });
      const writer = await trainer.openWriter(id, { resume: true });
      assert.equal(writer.record.process?.pid, process.pid);
      await assert.rejects(trainer.openWriter(id, { resume: true }), new RegExp(`already being trained by process ${process.pid} on here`));
      await writer.close();
    } finally {
      await cleanup();
    }
  });
});
