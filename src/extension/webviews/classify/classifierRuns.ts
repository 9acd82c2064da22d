// Which runs can classify images (their best model is on disk), which one to use by default, and
// how to describe them in a picker. No VS Code API here.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../../core/runs/runRecord';
import type { RunStore } from '../../../core/runs/runStore';

export interface ClassifierRun {
  record: RunRecord;
  runDir: string;
}

async function hasModel(runDir: string): Promise<boolean> {
  const files = await Promise.all(['model.json', 'weights.bin'].map((file) => fs.stat(join(runDir, 'model', file)).then(() => true, () => false)));
  return files.every(Boolean);
}

/**
 * Runs whose model can classify: a class list and model files on disk. Completed runs come first,
 * then by best validation (or test) accuracy, then runs scored only on their training data (no
 * validation split), then newest; a running run offers its best model so far.
 */
export async function listClassifierRuns(store: RunStore): Promise<ClassifierRun[]> {
  const runs: ClassifierRun[] = [];
  for (const record of await store.list()) {
    const runDir = store.runDir(record.id);
    if ((record.dataset?.classes.length ?? 0) < 2 || !(await hasModel(runDir))) continue;
    runs.push({ record, runDir });
  }
  const accuracy = (run: ClassifierRun) => run.record.summary.bestValAcc ?? run.record.summary.testAcc ?? -1;
  // Training accuracy flatters a model: it ranks only among runs that have nothing better.
  const trainAccuracy = (run: ClassifierRun) => run.record.summary.bestTrainAcc ?? -1;
  return runs.sort((a, b) =>
    Number(b.record.status === 'completed') - Number(a.record.status === 'completed') ||
    accuracy(b) - accuracy(a) ||
    trainAccuracy(b) - trainAccuracy(a) ||
    (a.record.id < b.record.id ? 1 : a.record.id > b.record.id ? -1 : 0));
}

/** The remembered run when it can still classify, else the best one. */
export function defaultClassifierRun(runs: readonly ClassifierRun[], rememberedId: string | undefined): ClassifierRun | undefined {
  return runs.find((run) => run.record.id === rememberedId) ?? runs[0];
}

/**
 * The run to classify with: the one the user chose before (remembered per workspace, in the editor's own
 * storage), else the best one; but in an untrusted workspace the best one is only a suggestion: its runs
 * folder may hold a crafted run made to rank first, so the user is asked (`ask`, best first).
 */
export function classifierChoice(runs: readonly ClassifierRun[], rememberedId: string | undefined, trusted: boolean): { run: ClassifierRun } | { ask: readonly ClassifierRun[] } | undefined {
  const remembered = runs.find((run) => run.record.id === rememberedId);
  if (remembered) return { run: remembered };
  if (runs.length === 0) return undefined;
  return trusted ? { run: runs[0] } : { ask: runs };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** One line about a run for a picker: accuracy, model kind, classes. */
export function describeClassifierRun(run: ClassifierRun): { label: string; description: string; detail: string } {
  const { record } = run;
  const accuracy = record.summary.bestValAcc !== undefined ? `val acc ${percent(record.summary.bestValAcc)}`
    : record.summary.testAcc !== undefined ? `test acc ${percent(record.summary.testAcc)}`
      : record.summary.bestTrainAcc !== undefined ? `train acc ${percent(record.summary.bestTrainAcc)} (no validation split)` : 'no accuracy yet';
  const classes = record.dataset?.classes ?? [];
  const shown = classes.slice(0, 8).join(', ') + (classes.length > 8 ? `, +${classes.length - 8} more` : '');
  const shape = record.dataset?.imageShape.join('x');
  return {
    label: record.name,
    description: `${accuracy} · ${record.model?.kind ?? record.spec.model.kind}${record.status === 'completed' ? '' : ` · ${record.status}`}`,
    detail: `${classes.length} classes: ${shown}${shape ? ` · input ${shape}` : ''}`,
  };
}
