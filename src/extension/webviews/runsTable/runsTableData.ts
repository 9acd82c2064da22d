// Every run as a row of the runs table: the run's own columns (name, status, dataset, model, tags...), its
// results (best and test accuracy, loss, duration, images/s, peak memory) and each of its settings as a
// column of its own (the union over all runs, so a model option shows for the runs that have it). No VS Code API here.
import { basename } from 'node:path';
import type { RunRecord } from '../../../core/runs/runRecord';
import type { RunsTableCell, RunsTableColumn, RunsTableLayout, RunsTableRow } from '../../../protocol/runsTableView';

/** The run's own columns and its results, in their default order. */
const FIXED_COLUMNS: readonly RunsTableColumn[] = [
  { key: 'name', label: 'name', kind: 'text', group: 'run' },
  { key: 'status', label: 'status', kind: 'text', group: 'run' },
  { key: 'createdAt', label: 'created', kind: 'time', group: 'run' },
  { key: 'dataset', label: 'dataset', kind: 'text', group: 'run' },
  { key: 'model', label: 'model', kind: 'text', group: 'run' },
  { key: 'bestValAcc', label: 'best val acc', kind: 'percent', group: 'result' },
  { key: 'bestValLoss', label: 'best val loss', kind: 'number', group: 'result' },
  { key: 'testAcc', label: 'test acc', kind: 'percent', group: 'result' },
  { key: 'bestEpoch', label: 'best epoch', kind: 'number', group: 'result' },
  { key: 'lastEpoch', label: 'last epoch', kind: 'number', group: 'result' },
  { key: 'durationMs', label: 'duration', kind: 'duration', group: 'result' },
  { key: 'imagesPerSecond', label: 'images/s', kind: 'number', group: 'result' },
  { key: 'peakRssBytes', label: 'peak memory', kind: 'bytes', group: 'result' },
  { key: 'parameters', label: 'parameters', kind: 'number', group: 'result' },
  { key: 'tags', label: 'tags', kind: 'text', group: 'run' },
];

/** Columns shown by default besides the fixed ones: the settings people compare most. */
const DEFAULT_SETTINGS = new Set(['training.epochs', 'training.batchSize', 'training.learningRate', 'training.optimizer']);

/** Adds a run's settings to `cells`, flat: `training.learningRate`, `training.schedule.kind`, `model.units`, `augment.flip`, `data.limit` (not the data path: that is `dataset`). */
function addSettingCells(record: RunRecord, cells: Record<string, RunsTableCell>, seen: (key: string, value: RunsTableCell) => void): void {
  const put = (prefix: string, fields: object | undefined): void => {
    for (const [name, value] of Object.entries(fields ?? {})) {
      if (prefix === 'data' && name === 'path') continue;
      let cell: RunsTableCell | undefined;
      if (typeof value === 'number' || typeof value === 'string') cell = value;
      else if (typeof value === 'boolean') cell = value ? 'yes' : 'no';
      else if (Array.isArray(value) && value.every((v) => typeof v === 'number' || typeof v === 'string')) cell = value.join(',');
      if (cell === undefined) continue;
      const key = `${prefix}.${name}`;
      cells[key] = cell;
      seen(key, cell);
    }
  };
  put('data', record.spec.data);
  put('training', record.spec.training);
  put('training.schedule', record.spec.training.schedule);
  put('model', record.spec.model.options);
  put('augment', record.spec.augment);
}

/** Adds the run's own cells and its results to `cells`. */
function addRunCells(record: RunRecord, cells: Record<string, RunsTableCell>): void {
  const { summary } = record;
  const created = Date.parse(record.createdAt);
  const values: [string, RunsTableCell | undefined][] = [
    ['name', record.name],
    ['status', record.status],
    ['createdAt', Number.isFinite(created) ? created : undefined],
    ['dataset', basename(record.dataset?.root ?? record.spec.data.path)],
    ['model', record.spec.model.kind],
    ['bestValAcc', summary.bestValAcc],
    ['bestValLoss', summary.bestValLoss],
    ['testAcc', summary.testAcc],
    ['bestEpoch', summary.bestEpoch],
    ['lastEpoch', summary.lastEpoch],
    ['durationMs', summary.durationMs],
    ['imagesPerSecond', summary.imagesPerSecond],
    ['peakRssBytes', summary.peakRssBytes],
    ['parameters', record.model?.parameterCount],
    ['tags', record.tags && record.tags.length > 0 ? record.tags.join(', ') : undefined],
  ];
  for (const [key, value] of values) {
    // Non-finite numbers (a diverged loss) read as text, so JSON keeps them and sorting puts them last.
    if (typeof value === 'number') cells[key] = Number.isFinite(value) ? value : String(value);
    else if (value !== undefined) cells[key] = value;
  }
}

export interface RunsTableData {
  columns: RunsTableColumn[];
  rows: RunsTableRow[];
}

/** The table of `records`: fixed columns first, then every setting any run has, sorted by section and name. */
export function runsTableData(records: readonly RunRecord[]): RunsTableData {
  const settingKinds = new Map<string, 'number' | 'text'>();
  const seen = (key: string, value: RunsTableCell): void => {
    if (settingKinds.get(key) !== 'text') settingKinds.set(key, typeof value === 'number' ? 'number' : 'text');
  };
  const rows = records.map((record): RunsTableRow => {
    const cells: Record<string, RunsTableCell> = {};
    addRunCells(record, cells);
    addSettingCells(record, cells, seen);
    return { id: record.id, cells };
  });
  const settingColumns = [...settingKinds].sort(([a], [b]) => a.localeCompare(b)).map(([key, kind]): RunsTableColumn => ({
    key, label: key.slice(key.indexOf('.') + 1), kind, group: 'setting',
  }));
  return { columns: [...FIXED_COLUMNS, ...settingColumns], rows };
}

/** The layout before the user changes it: every column in order, settings other than the common ones hidden, newest first. */
export function defaultRunsTableLayout(columns: readonly RunsTableColumn[]): RunsTableLayout {
  return {
    order: columns.map((column) => column.key),
    hidden: columns.filter((column) => column.group === 'setting' && !DEFAULT_SETTINGS.has(column.key)).map((column) => column.key),
    sort: { key: 'createdAt', direction: 'desc' },
  };
}
