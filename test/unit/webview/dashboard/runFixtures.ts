// Run records and epochs for webview tests, shaped like what RunStore reads from run.json.
import type { CompareRun } from '../../../../src/protocol/compareView';
import type { EpochPoint, RunRecord } from '../../../../src/protocol/dashboardView';

export function runRecord(overrides: Partial<RunRecord> & { id: string; name: string }): RunRecord {
  return {
    schemaVersion: 1,
    status: 'completed',
    createdAt: '2026-11-27T07:15:02.000Z',
    updatedAt: '2026-11-27T07:20:00.000Z',
    spec: {
      data: { path: '/data/shapes', format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [32, 64, 64], denseUnits: 64, dropout: 0 } },
      training: { epochs: 10, batchSize: 64, learningRate: 0.001, optimizer: 'adam', momentum: 0.9, loss: 'crossentropy', labelSmoothing: 0, earlyStoppingPatience: 0, seed: 42 },
      augment: { flip: false, rotateDegrees: 0, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 },
    },
    dataset: {
      format: 'folder', root: '/data/shapes', classes: ['circle', 'square'], imageShape: [32, 32, 3],
      trainCount: 900, valCount: 100, testCount: 0, classCounts: { train: [450, 450], val: [50, 50], test: [0, 0] },
    },
    model: { kind: 'cnn', parameterCount: 122_570 },
    backend: 'wasm',
    summary: { epochs: 10, lastEpoch: 10, bestEpoch: 7, bestValAcc: 0.93, bestValLoss: 0.21, imagesPerSecond: 812.5, durationMs: 401_881 },
    ...overrides,
  };
}

export function epochPoint(epoch: number, valAcc: number): EpochPoint {
  return { epoch, time: '', loss: 1 / epoch, acc: valAcc + 0.02, valLoss: 1.2 / epoch, valAcc, learningRate: 0.001, imagesPerSecond: 800, durationMs: 40_000, isBest: false, perClass: [] };
}

export function compareRun(record: RunRecord, accuracies: number[]): CompareRun {
  return { run: record, epochs: accuracies.map((acc, i) => epochPoint(i + 1, acc)) };
}
