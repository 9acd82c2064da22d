// The architecture each model kind gets when the user names only the kind (`--model rnn`).
import type { ModelKind, ModelSpec } from '../runSpec';

export function defaultModelSpec(kind: ModelKind): ModelSpec {
  switch (kind) {
    case 'cnn':
      // The classic Keras tutorial net (122,570 parameters on 32x32x3, 10 classes).
      return { kind: 'cnn', options: { filters: [32, 64, 64], denseUnits: 64, dropout: 0 } };
    case 'rnn':
      return { kind: 'rnn', options: { cell: 'lstm', units: [64], dropout: 0 } };
    case 'attention':
      return { kind: 'attention', options: { patchSize: 4, embedDim: 64, depth: 2, heads: 4, mlpDim: 128, dropout: 0.1 } };
  }
}
