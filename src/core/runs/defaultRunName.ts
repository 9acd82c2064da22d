// The name a run gets when the user gives none: `<model>-<dataset>-<n>`, e.g. `cnn-mnist-3`.
import type { RunSpec } from '../runSpec';

/** Folder names that say nothing about the data; the dataset is named after a folder above them. */
const GENERIC_FOLDERS = new Set(['data', 'dataset', 'datasets', 'images', 'imgs', 'img', 'train', 'training', 'raw', 'files', 'src']);

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 40);
}

/** A short dataset label from its path (either slash style): the last folder that is not a generic one. */
export function datasetLabel(path: string): string {
  const parts = path.split(/[\\/]+/).map(slug).filter((part) => part.length > 0);
  const lastUseful = [...parts].reverse().slice(0, 3).find((part) => !GENERIC_FOLDERS.has(part));
  return lastUseful ?? parts[parts.length - 1] ?? 'data';
}

/** The first `<model>-<dataset>-<n>` whose n is above every n already used with that prefix. */
export function defaultRunName(spec: RunSpec, existingNames: Iterable<string>): string {
  const prefix = `${slug(spec.model.kind) || 'model'}-${datasetLabel(spec.data.path)}`;
  const numbered = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`);
  let highest = 0;
  for (const name of existingNames) {
    const match = numbered.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `${prefix}-${highest + 1}`;
}
