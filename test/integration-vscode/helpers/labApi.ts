// Shared steps of the in-host tests: the extension's API, sample-dataset run specs, waiting for the run folder.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { noAugmentation } from '../../../src/core/data/augment';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import type { ClassifierLabApi } from '../../../src/extension/api';
import { IN_HOST_LOG_PREFIX } from '../harness/inHostResults';

export const EXTENSION_ID = 'classifier-lab.classifier-lab';

export async function labApi(): Promise<ClassifierLabApi> {
  const extension = vscode.extensions.getExtension<ClassifierLabApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export function extensionPath(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  return extension.extensionPath;
}

export function sampleDataset(name: 'mnist-digits' | 'colour-shapes'): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no folder is open');
  return join(folder.uri.fsPath, 'data', name);
}

/** A CNN run on a sample dataset; `limit` keeps it quick on a busy machine. */
export function sampleSpec(dataset: 'mnist-digits' | 'colour-shapes', training: Partial<RunSpec['training']>, limit?: number): RunSpec {
  return {
    data: { path: sampleDataset(dataset), format: 'auto', valSplit: 0.1, cifar100Labels: 'fine', ...(limit !== undefined ? { limit } : {}) },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), batchSize: 32, ...training },
    augment: noAugmentation(),
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export async function readRun(api: ClassifierLabApi, runId: string): Promise<RunRecord> {
  const dir = api.runsDir();
  if (!dir) throw new Error('no runs folder');
  return new RunStore(dir).read(runId);
}

/** Resolves once the run has recorded at least `count` finished batches in metrics.jsonl. */
export async function waitForBatches(api: ClassifierLabApi, runId: string, count = 1, timeoutMs = 90_000): Promise<void> {
  const store = new RunStore(api.runsDir()!);
  await waitFor(`${count} batch(es) of ${runId}`, async () => (await store.readMetrics(runId)).filter((e) => e.type === 'batchEnd').length >= count, timeoutMs, 200);
}

/** A line the e2e harness prints with the results (measurements worth reporting). */
export function report(line: string): void {
  console.log(`${IN_HOST_LOG_PREFIX} ${line}`);
}
