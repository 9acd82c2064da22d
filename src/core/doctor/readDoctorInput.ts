// A run folder as the doctor's input: run.json's spec, classes and class counts, and metrics.jsonl's events.
import { openRunFolder } from '../runs/openRunFolder';
import type { DoctorInput } from './diagnosis';

export async function readDoctorInput(runDir: string): Promise<DoctorInput> {
  const { store, record } = await openRunFolder(runDir);
  const events = await store.readMetrics(record.id);
  return {
    events,
    spec: record.spec,
    ...(record.dataset?.classes ? { classes: record.dataset.classes } : {}),
    ...(record.dataset?.classCounts ? { classCounts: record.dataset.classCounts } : {}),
    status: record.status,
    ...(record.error !== undefined ? { error: record.error } : {}),
  };
}
