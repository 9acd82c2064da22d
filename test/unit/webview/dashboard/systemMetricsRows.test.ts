// The run's system metrics as the dashboard shows them: peak memory in the summary (from run.json, or from
// the epochs of a live run), and CPU and memory per epoch carried from metrics.jsonl into the chart points.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordedEvent } from '../../../../src/core/runs/recordedEvent';
import { foldMetrics } from '../../../../src/extension/webviews/dashboard/foldMetrics';
import { summaryGroups } from '../../../../webview/dashboard/summaryRows';
import { formatBytes } from '../../../../webview/shared/format';
import { runRecord } from './runFixtures';

const epochEnd = (epoch: number, system: { cpuPercent?: number; rssBytes?: number; peakRssBytes?: number }): RecordedEvent => ({
  type: 'epochEnd', time: 't', epoch, loss: 0.5, acc: 0.6, valLoss: 0.7, valAcc: 0.5, learningRate: 0.01, imagesPerSecond: 100, durationMs: 5, perClass: [], isBest: true, ...system,
});

function peakRow(record: ReturnType<typeof runRecord>, events: RecordedEvent[]): string | undefined {
  return summaryGroups(record, foldMetrics(events).epochs, undefined).flatMap((g) => g.rows).find((row) => row.key === 'peakMemory')?.value;
}

describe('system metrics in the dashboard', () => {
  test('each epoch point keeps the CPU share and memory the trainer recorded', () => {
    const { epochs } = foldMetrics([epochEnd(1, { cpuPercent: 48.5, rssBytes: 300e6, peakRssBytes: 310e6 }), epochEnd(2, {})]);
    assert.deepEqual([epochs[0].cpuPercent, epochs[0].rssBytes, epochs[0].peakRssBytes], [48.5, 300e6, 310e6]);
    assert.equal('cpuPercent' in epochs[1], false, 'an epoch recorded before system metrics has none');
  });

  test('the summary shows the peak memory from run.json, else from the epochs so far, else a dash', () => {
    const base = runRecord({ id: 'r', name: 'n' });
    assert.equal(peakRow({ ...base, summary: { ...base.summary, peakRssBytes: 512 * 1024 * 1024 } }, []), '512 MiB');
    assert.equal(peakRow(base, [epochEnd(1, { peakRssBytes: 200 * 1024 * 1024 }), epochEnd(2, { peakRssBytes: 1.5 * 1024 ** 3 })]), '1.5 GiB');
    assert.equal(peakRow(base, [epochEnd(1, {})]), '–');
  });

  test('memory sizes read in binary units', () => {
    assert.equal(formatBytes(900), '900 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(300 * 1024 * 1024), '300 MiB');
    assert.equal(formatBytes(undefined), '–');
  });
});
