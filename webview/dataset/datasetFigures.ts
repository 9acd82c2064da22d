// What the dataset tab draws, computed from the report without the DOM: the class balance bars, the
// histogram bars, the finding sections in order with their titles, and short captions. Tested on its own.
import type { EncodedClassReport, EncodedDatasetReport, Finding, FindingKind, Histogram, ImbalanceFinding } from '../../src/protocol/datasetView';

export interface BalanceRow {
  name: string;
  train: number;
  test: number;
  /** Bar lengths as a share (0-1) of the largest count of any class in either split. */
  trainShare: number;
  testShare: number;
  /** Set when an imbalance finding names the class in that split. */
  imbalanced: { train: boolean; test: boolean };
}

/** One row per class; both splits share one scale so their bars compare. */
export function balanceRows(classes: readonly EncodedClassReport[], findings: readonly Finding[]): BalanceRow[] {
  const max = Math.max(1, ...classes.map((c) => Math.max(c.train, c.test)));
  const flagged = new Set(findings.filter((f): f is ImbalanceFinding => f.kind === 'imbalance').map((f) => `${f.split}/${f.className}`));
  return classes.map((c) => ({
    name: c.name, train: c.train, test: c.test, trainShare: c.train / max, testShare: c.test / max,
    imbalanced: { train: flagged.has(`train/${c.name}`), test: flagged.has(`test/${c.name}`) },
  }));
}

export interface HistogramBar {
  /** The bin's range: `28`, `16–31`, `1 KB–2 KB`. */
  label: string;
  /** The bin's start, under its bar: `16`, `1 KB`. */
  tick: string;
  count: number;
  /** Bar height as a share (0-1) of the tallest bar. */
  share: number;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${Number((bytes / 1024).toPrecision(3))} KB`;
  return `${Number((bytes / 1024 ** 2).toPrecision(3))} MB`;
}

/** Bars of a histogram of [from, to) bins; `unit` labels them: pixels (a one-wide bin is one size) or bytes. */
export function histogramBars(histogram: Histogram, unit: 'pixels' | 'bytes'): HistogramBar[] {
  const max = Math.max(1, ...histogram.bins.map((bin) => bin.count));
  return histogram.bins.map((bin) => {
    const label = unit === 'bytes' ? `${formatBytes(bin.from)}–${formatBytes(bin.to)}`
      : bin.to - bin.from <= 1 ? String(bin.from) : `${bin.from}–${bin.to - 1}`;
    return { label, tick: unit === 'bytes' ? formatBytes(bin.from) : String(bin.from), count: bin.count, share: bin.count / max };
  });
}

export interface FindingSection {
  kind: FindingKind;
  /** The section's heading, in the user's words. */
  title: string;
  /** What the findings mean and why they matter. */
  about: string;
  findings: Finding[];
}

const SECTION_TEXT: Record<FindingKind, { title: string; about: string }> = {
  unreadable: { title: 'Unreadable files', about: 'Files training skips: empty, truncated, corrupt or of an unsupported format.' },
  duplicate: { title: 'Exact duplicates', about: 'Identical files in one class and split: they count several times in training.' },
  nearDuplicate: { title: 'Near-duplicates', about: 'Near-identical images in one class and split (re-encoded, resized, brighter or slightly shifted copies).' },
  crossClassDuplicate: { title: 'Label conflicts', about: 'The same (or a near-identical) image under two or more classes: at most one label is right.' },
  trainTestLeak: { title: 'Train/test leaks', about: 'The same (or a near-identical) image in both the train and the test split: test accuracy counts images the model trained on.' },
  imbalance: { title: 'Imbalanced classes', about: 'Classes with far fewer (or far more) images than the median class of their split.' },
  odd: { title: 'Odd files', about: 'Readable files that look wrong (wrong extension, tiny, huge) and files or folders training ignores.' },
  likelyMislabelled: { title: 'Likely mislabelled', about: 'Images the run\'s model assigns to another class with high confidence, ranked by the loss of their label.' },
};

/** The report's findings by kind, in the report's order, one section per kind that has any. */
export function findingSections(report: EncodedDatasetReport): FindingSection[] {
  const sections = new Map<FindingKind, FindingSection>();
  for (const finding of report.findings) {
    let section = sections.get(finding.kind);
    if (!section) {
      section = { kind: finding.kind, ...SECTION_TEXT[finding.kind], findings: [] };
      sections.set(finding.kind, section);
    }
    section.findings.push(finding);
  }
  return [...sections.values()];
}

export function sectionTitle(kind: FindingKind): string {
  return SECTION_TEXT[kind].title;
}

const FORMAT_NAMES: Record<EncodedDatasetReport['format'], string> = {
  folder: 'Image folders', cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', idx: 'IDX (MNIST-style)',
};

const count = (n: number): string => n.toLocaleString('en-US');

/** "Image folders · 10 classes · 3,000 training + 500 test images · 28 × 28 · grey". */
export function summaryLine(report: EncodedDatasetReport): string {
  const parts = [FORMAT_NAMES[report.format], `${report.classes.length} classes`];
  parts.push(report.totals.test > 0 ? `${count(report.totals.train)} training + ${count(report.totals.test)} test images` : `${count(report.totals.train)} images`);
  const top = report.images.sizes[0];
  if (top) parts.push(report.images.sizes.length === 1 ? `${top.width} × ${top.height}` : `mostly ${top.width} × ${top.height}`);
  const { grey, colour } = report.images.channels;
  parts.push(grey > 0 && colour > 0 ? `${count(colour)} colour, ${count(grey)} grey` : grey > 0 ? 'grey' : 'colour');
  if (report.totals.unreadable > 0) parts.push(`${count(report.totals.unreadable)} unreadable`);
  return parts.join(' · ');
}

/** How duplicates were found, in one sentence. */
export function methodLine(report: EncodedDatasetReport): string {
  const method = report.duplicates;
  const [h, w] = report.analysisShape;
  const near = method.maxHammingDistance > 0
    ? `near-duplicates: a 64-bit difference hash within ${method.maxHammingDistance} bits, confirmed by a correlation of at least ${method.minCorrelation} of the grey images at ${h} × ${w}`
    : 'near-duplicates were not searched';
  return `Exact duplicates: the same SHA-1 of the ${report.format === 'folder' ? 'file' : 'pixels'}; ${near}.`;
}

export const ROLE_TEXT = { training: 'trained on', validation: 'held out (validation)', test: 'test split' } as const;
