// A run as the doctor's input: run.json's spec, classes and class counts, and metrics.jsonl's events
// (from its folder, or a record and events already in memory, e.g. a run the editor follows live).
import { openRunFolder } from '../runs/openRunFolder';
import type { RecordedEvent } from '../runs/recordedEvent';
import type { RunRecord } from '../runs/runRecord';
import type { DoctorInput } from './diagnosis';

export function doctorInputOf(record: RunRecord, events: readonly RecordedEvent[]): DoctorInput {
  return {
    events,
    spec: record.spec,
    ...(record.dataset?.classes ? { classes: record.dataset.classes } : {}),
    ...(record.dataset?.classCounts ? { classCounts: record.dataset.classCounts } : {}),
    status: record.status,
    ...(record.error !== undefined ? { error: record.error } : {}),
  };
}

export async function readDoctorInput(runDir: string): Promise<DoctorInput> {
  const { store, record } = await openRunFolder(runDir);
  return doctorInputOf(record, await store.readMetrics(record.id));
}
