// Opens a run given the path of its folder (as the CLI's --run takes it).
import { basename, dirname, resolve } from 'node:path';
import type { RunRecord } from './runRecord';
import { RunStore } from './runStore';

export async function openRunFolder(runDir: string): Promise<{ store: RunStore; record: RunRecord; runDir: string }> {
  const absolute = resolve(runDir);
  const store = new RunStore(dirname(absolute));
  const record = await store.read(basename(absolute));
  return { store, record, runDir: absolute };
}
