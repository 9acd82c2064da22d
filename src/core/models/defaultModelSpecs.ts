// The architecture each model kind gets when the user names only the kind (`--model rnn`).
import type { ModelKind, ModelSpec } from '../runSpec';

export function defaultModelSpec(kind: ModelKind): ModelSpec {
  switch (kind) {
    case 'cnn':
      // The classic Keras tutorial net (122,570 parameters on 32x32x3, 10 classes).
      return { kind: 'cnn', options: { filters: [32, 64, 64], denseUnits: 64, dropout: 0 } };
    case 'rnn':
      // One LSTM(128) trains about as fast as the CNN on wasm (~600 img/s on 32x32x3, batch 64) and
      // learned MNIST better in one epoch than LSTM(64) or two LSTM(64) layers (0.78 vs 0.71 / 0.74).
      return { kind: 'rnn', options: { cell: 'lstm', units: [128], dropout: 0 } };
    case 'attention':
      // 64 patches of 4x4 on 32x32 images; depth 2 trains at ~210 img/s on wasm (batch 64), depth 3 at ~145.
      return { kind: 'attention', options: { patchSize: 4, embedDim: 64, depth: 2, heads: 4, mlpDim: 128, dropout: 0.1 } };
    case 'resnet':
      // ResNet-9 (the DAWNBench CIFAR-10 line) at a quarter of its width: 414,074 parameters and ~48 MFLOP
      // per 32x32 image forward, ~5x the CNN. Full width (64-128-256-512) is ~16x that: hours per epoch on wasm.
      return { kind: 'resnet', options: { stemWidth: 16, widths: [32, 64, 128], blocks: [1, 0, 1], headScale: 0.125, bnMomentum: 0.9 } };
  }
}
