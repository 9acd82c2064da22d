// The dataset doctor: one pass over a dataset of any format the engine reads, then plain-data findings
// (unreadable and odd files, duplicates, near-duplicates, label conflicts, train/test leaks, imbalance
// and, given a finished run, likely mislabelled images) with class balance, histograms, mean images
// and samples. It only reads: nothing in the dataset or the run is ever changed.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { initBackend, type BackendPreference } from '../backend/selectBackend';
import { detectFormat } from '../data/detectFormat';
import { imageFormatName } from '../data/imageFormat';
import { requireFolder } from '../data/requireFolder';
import type { DatasetFormat, ResolvedDatasetFormat } from '../runSpec';
import { openBinaryPass } from './binaryPass';
import { imbalanceFindings, type ClassCount } from './classBalance';
import { ClassImages } from './classImages';
import { sameShape, type DatasetPass, type FileFacts } from './datasetPass';
import {
  FINDING_KINDS, type DatasetReport, type Finding, type FindingKind, type ImageRef, type InspectProgress, type RunSummaryForReport,
} from './datasetReport';
import { exactGroups, groupFindings } from './duplicateFindings';
import { extensionFinding, sizeFindings } from './fileChecks';
import { shortName } from './findingText';
import { openFolderPass } from './folderPass';
import { ImageStatisticsBuilder } from './imageStatistics';
import { MislabelScorer } from './mislabelScorer';
import { NEAR_DUPLICATE_SETTINGS, SimilarityIndex } from './similarityIndex';

export interface InspectOptions {
  /** The dataset folder (or the folder holding CIFAR or IDX files). */
  path: string;
  format?: DatasetFormat;
  /** CIFAR-100 only: which label set names the classes. Default fine. */
  cifar100Labels?: 'fine' | 'coarse';
  /** A finished run whose best model looks for likely mislabelled images. */
  runDir?: string;
  /** Backend for the run's model. Default auto. */
  backend?: BackendPreference;
  /** Sample images kept per class. Default 16. */
  samplesPerClass?: number;
  /** Most likely mislabelled images reported. Default 100. */
  maxMislabelled?: number;
  /** Decode worker threads for folder datasets; 0 decodes on this thread. Default: one per core. */
  decodeWorkers?: number;
  signal?: AbortSignal;
  onProgress?(progress: InspectProgress): void;
  /** Problems worked around; they are also in the report's `warnings`. */
  onWarning?(message: string): void;
}

const RECORD_FORMATS: Record<Exclude<ResolvedDatasetFormat, 'folder'>, string> = {
  cifar10: 'CIFAR-10 record', cifar100: 'CIFAR-100 record', idx: 'IDX record',
};

async function openPass(root: string, format: ResolvedDatasetFormat, options: InspectOptions): Promise<DatasetPass> {
  if (format === 'folder') {
    return openFolderPass(root, { decodeWorkers: options.decodeWorkers ?? availableParallelism(), signal: options.signal });
  }
  return openBinaryPass(root, format, { cifar100Labels: options.cifar100Labels ?? 'fine', signal: options.signal });
}

function byKind(findings: Finding[]): Finding[] {
  const order = new Map<FindingKind, number>(FINDING_KINDS.map((kind, i) => [kind, i]));
  return findings
    .map((finding, i) => ({ finding, i }))
    .sort((a, b) => order.get(a.finding.kind)! - order.get(b.finding.kind)! || a.i - b.i)
    .map(({ finding }) => finding);
}

export async function inspectDataset(options: InspectOptions): Promise<DatasetReport> {
  const started = performance.now();
  const root = resolve(options.path);
  await requireFolder(root);
  const format = !options.format || options.format === 'auto' ? await detectFormat(root) : options.format;
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const pass = await openPass(root, format, options);
  const { classes, analysisShape } = pass;
  let scorer: MislabelScorer | undefined;
  if (options.runDir) {
    await initBackend(options.backend ?? 'auto');
    scorer = await MislabelScorer.open(options.runDir, classes, warn);
  }
  try {
    const shapes = [analysisShape];
    if (scorer && !sameShape(scorer.inputShape, analysisShape)) shapes.push(scorer.inputShape);
    const modelShape = scorer ? shapes.length - 1 : -1;
    const [height, width, channels] = analysisShape;
    const analysisBytes = height * width * channels;
    const modelBytes = scorer ? scorer.inputShape[0] * scorer.inputShape[1] * scorer.inputShape[2] : 0;

    const findings: Finding[] = [];
    for (const { path, reason } of pass.unreadable) {
      findings.push({ kind: 'unreadable', files: [path], reason, message: `${shortName(root, path)} is unreadable: ${reason}.` });
    }
    findings.push(...pass.odd);
    const refs: ImageRef[] = new Array(pass.total);
    const hashes: (string | undefined)[] = new Array(pass.total);
    const readable: number[] = [];
    const files: { image: ImageRef; facts: FileFacts }[] = [];
    const counts: ClassCount[] = classes.map((name) => ({ name, train: 0, test: 0, folders: {} }));
    const unreadableByClass = new Array<number>(classes.length).fill(0);
    const similarity = new SimilarityIndex(pass.total, height, width);
    const classImages = new ClassImages(classes.length, analysisShape, options.samplesPerClass ?? 16);
    const statistics = new ImageStatisticsBuilder();
    const recordFormat = format === 'folder' ? undefined : RECORD_FORMATS[format];

    let id = 0;
    options.onProgress?.({ phase: 'reading', done: 0, total: pass.total });
    for await (const chunk of pass.chunks(shapes, options.signal)) {
      chunk.images.forEach((image, k) => {
        const ref: ImageRef = { source: image.source, className: classes[image.classIndex], split: image.split };
        refs[id] = ref;
        const failure = chunk.failures.get(k);
        if (failure !== undefined) {
          unreadableByClass[image.classIndex]++;
          findings.push({
            kind: 'unreadable', files: [image.source], reason: failure,
            message: `${shortName(root, image.source)} is unreadable: ${failure}. Training skips it.`,
          });
        } else {
          readable.push(id);
          hashes[id] = image.contentHash;
          counts[image.classIndex][image.split]++;
          const pixels = chunk.pixels[0].subarray(k * analysisBytes, (k + 1) * analysisBytes);
          similarity.add(id, pixels, channels);
          classImages.add(image.classIndex, image.split, image.source, pixels);
          if (image.file) {
            const facts = image.file;
            files.push({ image: ref, facts });
            const odd = extensionFinding(root, ref, facts);
            if (odd) findings.push(odd);
            statistics.add({
              width: facts.width ?? 0, height: facts.height ?? 0, channels: facts.channels ?? 3,
              format: facts.format ? imageFormatName(facts.format) : 'unknown', bytes: facts.bytes,
            });
          } else {
            statistics.add({ width, height, channels, format: recordFormat ?? 'unknown' });
          }
          if (scorer) scorer.add(id, image.classIndex, chunk.pixels[modelShape].subarray(k * modelBytes, (k + 1) * modelBytes));
        }
        id++;
      });
      options.onProgress?.({ phase: 'reading', done: id, total: pass.total });
    }

    // Exact duplicates, then near-duplicates among one representative of each distinct content.
    const exact = exactGroups(hashes, readable);
    for (const group of exact) findings.push(...groupFindings(root, group.map((i) => refs[i]), true));
    const membersOf = new Map<number, number[]>();
    for (const group of exact) membersOf.set(group[0], group);
    const copies = new Set(exact.flatMap((group) => group.slice(1)));
    const representatives = Int32Array.from(readable.filter((i) => !copies.has(i)));
    const near = await similarity.findGroups(representatives, {
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.({ phase: 'comparing', done, total }),
    });
    if (near.warning) warn(near.warning);
    for (const group of near.groups) {
      const members = group.flatMap((i) => membersOf.get(i) ?? [i]).sort((a, b) => a - b);
      findings.push(...groupFindings(root, members.map((i) => refs[i]), false));
    }

    findings.push(...sizeFindings(root, files));
    classes.forEach((_, c) => {
      counts[c].folders = { train: pass.classFolder(c, 'train'), test: pass.classFolder(c, 'test') };
    });
    findings.push(...imbalanceFindings(counts));

    let run: RunSummaryForReport | undefined;
    if (scorer) {
      const result = scorer.results(root, (i) => refs[i], options.maxMislabelled);
      findings.push(...result.findings);
      run = result.run;
    }

    const sorted = byKind(findings);
    const findingCounts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>;
    for (const finding of sorted) findingCounts[finding.kind]++;
    return {
      root,
      format,
      analysisShape,
      classes: classes.map((name, c) => ({
        name, train: counts[c].train, test: counts[c].test, unreadable: unreadableByClass[c],
        meanImage: classImages.meanImage(c), samples: classImages.samples(c),
      })),
      totals: {
        train: counts.reduce((n, c) => n + c.train, 0),
        test: counts.reduce((n, c) => n + c.test, 0),
        unreadable: findingCounts.unreadable,
      },
      images: statistics.build(),
      findings: sorted,
      findingCounts,
      duplicates: {
        contentHash: 'sha1',
        perceptualHash: 'dhash64',
        maxHammingDistance: near.maxDistance ?? 0,
        minCorrelation: NEAR_DUPLICATE_SETTINGS.minCorrelation,
        maxLevelDifference: NEAR_DUPLICATE_SETTINGS.maxLevelDifference,
        backgroundTolerance: NEAR_DUPLICATE_SETTINGS.backgroundTolerance,
        maxBlankDifference: NEAR_DUPLICATE_SETTINGS.maxBlankDifference,
      },
      ...(run ? { run } : {}),
      warnings,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    scorer?.dispose();
  }
}
