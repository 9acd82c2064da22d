// Ends a run whose trainer can no longer say how it ended (killed, crashed): the extension writes the status instead.
import { RunStore } from '../../core/runs/runStore';
import type { FinishedStatus } from '../../core/runs/runWriter';

/**
 * Sets the final status of a run that still reads as unfinished. A run that already ended keeps its
 * status (the trainer got there first). Returns whether the record was changed.
 */
export async function markRunEnded(runsDir: string, runId: string, status: FinishedStatus, error?: string): Promise<boolean> {
  const store = new RunStore(runsDir);
  const record = await store.read(runId);
  // A dead trainer's 'running' reads as 'interrupted'; a written interrupted/ended status has an end time.
  const unfinished = record.status === 'running' || record.status === 'queued' || (record.status === 'interrupted' && record.endedAt === undefined);
  if (!unfinished) return false;
  const writer = await store.openWriter(runId);
  try {
    await writer.finish(status, error);
  } finally {
    await writer.close();
  }
  return true;
}
