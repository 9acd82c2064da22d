// The dataset doctor's speed: wall and CPU seconds to inspect a dataset, and images per second.
// A benchmark, not a test: it prints numbers and asserts nothing.
//
//   node --import tsx bench/benchInspect.ts --data PATH [--run RUN_DIR]   inspect a dataset as it is
//   node --import tsx bench/benchInspect.ts --cifar-as-folder PATH          CIFAR-10 batches rewritten as PNG files, then inspected
//   node --import tsx bench/benchInspect.ts [--count N]                    N generated 32x32 PNG shapes (default 20,000)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../src/core/data/loadDataset';
import { inspectDataset } from '../src/core/datasetDoctor/inspectDataset';
import { encodePngPixels } from '../test/fixtures/imageFixtures';
import { makeShapesDataset, writeFolderDataset } from '../test/fixtures/syntheticImages';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args[args.indexOf(name) + 1] && args.includes(name) ? args[args.indexOf(name) + 1] : undefined;

/** Writes a CIFAR-10 dataset's records as train/<class>/<n>.png and test/<class>/<n>.png. */
async function cifarAsFolder(cifar: string, out: string): Promise<void> {
  const dataset = await loadDataset({ path: cifar, format: 'cifar10', valSplit: 0, cifar100Labels: 'fine' }, { onWarning: () => undefined });
  for (const [split, source] of [['train', dataset.train], ['test', dataset.test!]] as const) {
    for (let start = 0; start < source.count; start += 1000) {
      const indices = Array.from({ length: Math.min(1000, source.count - start) }, (_, k) => start + k);
      const pixels = await source.readPixels(indices);
      indices.forEach((index, k) => {
        const folder = join(out, split, dataset.classes[source.labels[index]]);
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, `${index}.png`), encodePngPixels(pixels.subarray(k * 3072, (k + 1) * 3072), 32, 32, 3));
      });
    }
  }
}

async function main(): Promise<void> {
  let data = option('--data');
  let scratch: string | undefined;
  if (!data) {
    scratch = mkdtempSync(join(tmpdir(), 'classifier-lab-bench-inspect-'));
    data = join(scratch, 'data');
    const cifar = option('--cifar-as-folder');
    const started = performance.now();
    if (cifar) await cifarAsFolder(cifar, data);
    else writeFolderDataset(data, makeShapesDataset(Number(option('--count') ?? 20_000), 32, 17), { testFraction: 0.2 });
    console.log(`wrote the dataset in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await inspectDataset({ path: data, runDir: option('--run') });
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const images = report.totals.train + report.totals.test + report.totals.unreadable;
    console.log(`${report.format} ${data}: ${images.toLocaleString('en')} images${report.run ? `, run ${report.run.name}` : ''}`);
    console.log(`  ${wall.toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU on this thread ` +
      `(decode workers not counted), ${Math.round(images / wall).toLocaleString('en')} images/s`);
    console.log(`  ${report.findings.length} findings: ${Object.entries(report.findingCounts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (report.warnings.length > 0) console.log(`  warnings: ${report.warnings.join(' ')}`);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
