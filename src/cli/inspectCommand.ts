// `classifier-lab inspect`: the dataset doctor on the command line. With --json, one line per finding
// ({"type":"finding","kind","files","message"}) and a closing {"type":"inspectEnd",...} line; without,
// a class table and the findings grouped by kind. It only reads: the dataset and the run stay as they are.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { DatasetReport, FindingKind, InspectProgress } from '../core/datasetDoctor/datasetReport';
import { FINDING_KINDS } from '../core/datasetDoctor/datasetReport';
import { inspectDataset } from '../core/datasetDoctor/inspectDataset';
import { DATASET_FORMATS, type DatasetFormat } from '../core/runSpec';
import { UsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

const KIND_TITLES: Record<FindingKind, string> = {
  unreadable: 'Unreadable files',
  duplicate: 'Duplicates (identical images in one class)',
  nearDuplicate: 'Near-duplicates (near-identical images in one class)',
  crossClassDuplicate: 'Label conflicts (the same image under two classes)',
  trainTestLeak: 'Train/test leaks (the same image in both splits)',
  imbalance: 'Imbalanced classes',
  odd: 'Odd files',
  likelyMislabelled: 'Likely mislabelled (the model contradicts the label)',
};

const FORMAT_NAMES: Record<DatasetReport['format'], string> = {
  folder: 'Image folder', cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', idx: 'IDX',
};

/** Findings of one kind shown without --json. */
const SHOWN_PER_KIND = 10;

interface InspectCommand {
  data: string;
  format: DatasetFormat;
  run?: string;
  json: boolean;
  cifar100Labels: 'fine' | 'coarse';
}

function parseInspectArgs(args: string[]): InspectCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args, strict: true, allowPositionals: false,
      options: {
        data: { type: 'string' }, format: { type: 'string' }, run: { type: 'string' }, json: { type: 'boolean' },
        'cifar100-labels': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const data = values.data as string | undefined;
  if (!data) throw new UsageError('inspect needs --data PATH (a folder of class sub-folders, CIFAR batches or IDX files).');
  const format = (values.format ?? 'auto') as DatasetFormat;
  if (!DATASET_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')} (got "${format}").`);
  const labels = (values['cifar100-labels'] ?? 'fine') as string;
  if (labels !== 'fine' && labels !== 'coarse') throw new UsageError(`--cifar100-labels must be fine or coarse (got "${labels}").`);
  const run = values.run as string | undefined;
  if (values.run !== undefined && !run) throw new UsageError('--run needs the folder of a training run.');
  return { data: resolve(data), format, run: run ? resolve(run) : undefined, json: values.json === true, cifar100Labels: labels };
}

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** A one-line progress display on an interactive stderr. */
function progressLine(): { show(progress: InspectProgress): void; clear(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    show(progress) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && progress.done < progress.total) return;
      last = now;
      shown = true;
      const what = progress.phase === 'reading' ? 'Reading images' : 'Comparing images';
      process.stderr.write(`\r${what}: ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')}\x1b[K`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

function summary(report: DatasetReport): string {
  const count = (n: number): string => n.toLocaleString('en');
  const [h, w, c] = report.analysisShape;
  const lines: string[] = [];
  lines.push(`${FORMAT_NAMES[report.format]} dataset ${report.root}: ${report.classes.length} classes, ` +
    `${count(report.totals.train)} training and ${count(report.totals.test)} test images` +
    (report.totals.unreadable > 0 ? `, ${count(report.totals.unreadable)} unreadable` : '') + '\n');
  const rows = [['class', 'train', 'test'], ...report.classes.map((k) => [k.name, count(k.train), count(k.test)])];
  lines.push(table(rows, [false, true, true]));
  const sizes = report.images.sizes.slice(0, 3).map((s) => `${s.width} x ${s.height} (${count(s.count)})`).join(', ');
  const { grey, colour } = report.images.channels;
  lines.push(`Image sizes: ${sizes}${report.images.sizes.length > 3 ? ', ...' : ''}; ${count(colour)} colour, ${count(grey)} grey; ` +
    `compared at ${h} x ${w}${c === 1 ? ' grey' : ''}\n`);
  if (report.run) {
    const run = report.run;
    lines.push(`Run "${run.name}"${run.epoch !== undefined ? ` (best epoch ${run.epoch})` : ''}: the model agrees with ` +
      `${(run.accuracy * 100).toFixed(1)}% of ${count(run.examined)} labels\n`);
  }
  const total = report.findings.length;
  lines.push(total === 0 ? '\nNo findings.\n' : `\n${count(total)} finding${total === 1 ? '' : 's'}:\n`);
  for (const kind of FINDING_KINDS) {
    const findings = report.findings.filter((f) => f.kind === kind);
    if (findings.length === 0) continue;
    lines.push(`\n${KIND_TITLES[kind]} (${count(findings.length)})\n`);
    for (const finding of findings.slice(0, SHOWN_PER_KIND)) lines.push(`  ${finding.message}\n`);
    if (findings.length > SHOWN_PER_KIND) lines.push(`  ... and ${count(findings.length - SHOWN_PER_KIND)} more (--json lists them all)\n`);
  }
  lines.push(`\nInspected in ${report.seconds.toFixed(1)} s. Nothing was changed.\n`);
  return lines.join('');
}

export async function inspect(args: string[]): Promise<number> {
  const command = parseInspectArgs(args);
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = progressLine();
  let report: DatasetReport;
  try {
    report = await inspectDataset({
      path: command.data, format: command.format, runDir: command.run, cifar100Labels: command.cifar100Labels,
      signal: controller.signal,
      onProgress: command.json ? undefined : (p) => progress.show(p),
      onWarning: (message) => {
        progress.clear();
        process.stderr.write(`warning: ${message}\n`);
      },
    });
  } catch (error) {
    progress.clear();
    if (controller.signal.aborted) {
      process.stderr.write('Inspection cancelled.\n');
      return 130;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.clear();
  if (command.json) {
    for (const finding of report.findings) printJson({ type: 'finding', kind: finding.kind, files: finding.files, message: finding.message });
    printJson({
      type: 'inspectEnd',
      classes: report.classes.map((c) => ({ name: c.name, train: c.train, test: c.test })),
      findings: report.findings.length,
      seconds: Math.round(report.seconds * 1000) / 1000,
    });
  } else {
    process.stdout.write(summary(report));
  }
  return 0;
}
