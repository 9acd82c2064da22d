// Each model kind's settable options as a table: name, accepted values and where the value goes in the
// kind's options object. The CLI's --model-option, sweep spaces (`model.<name>`) and validation read it,
// so a new model kind plugs in by adding its entry here.
import type { AttentionOptions, CnnOptions, ModelKind, ModelSpec, ResnetOptions, RnnOptions } from '../runSpec';

/** A value an option takes: a number, a list of whole numbers (one per layer) or a name. */
export type ModelOptionValue = number | number[] | string;

interface FieldBase {
  /** The option's name as typed: `--model-option units=64`, `"model.units"` in a sweep space. */
  name: string;
  /** One line for help text and pickers. */
  description: string;
}

/** A whole number in [min, max]. */
export interface IntegerField extends FieldBase {
  type: 'integer';
  min: number;
  max: number;
}

/** A number in [min, max], or [min, max) when `maxExclusive`. */
export interface NumberField extends FieldBase {
  type: 'number';
  min: number;
  max: number;
  maxExclusive?: boolean;
}

/** One whole number per layer, each in [min, max]; a single number sets every layer of the current stack. */
export interface IntegerListField extends FieldBase {
  type: 'integerList';
  min: number;
  max: number;
  maxItems: number;
}

export interface ChoiceField extends FieldBase {
  type: 'choice';
  choices: readonly string[];
}

export type ModelOptionField = IntegerField | NumberField | IntegerListField | ChoiceField;

/** A field plus how it reads and writes a kind's options object (`write` gets a value already checked against the field). */
export type ModelOptionEntry<O> = ModelOptionField & {
  read(options: O): ModelOptionValue;
  /** The options with this value set. */
  write(options: O, value: ModelOptionValue): O;
};

export interface ModelOptionTable<O> {
  /** In the order values are applied: an option that depends on another comes after it. */
  fields: readonly ModelOptionEntry<O>[];
  /** A problem between options that each look fine alone, or undefined. */
  check?(options: O): string | undefined;
}

type OptionsOf<K extends ModelKind> = Extract<ModelSpec, { kind: K }>['options'];

/** Every model kind must have a table: adding a kind to MODEL_KINDS without one fails to compile. */
export type ModelOptionTables = { [K in ModelKind]: ModelOptionTable<OptionsOf<K>> };

const DROPOUT = { name: 'dropout', type: 'number', min: 0, max: 1, maxExclusive: true, description: 'dropout rate before the classifier, in [0, 1)' } as const;

/** A list value as written: one number fills the current depth, a list replaces the stack. */
function layerSizes(current: readonly number[], value: ModelOptionValue): number[] {
  return typeof value === 'number' ? current.map(() => value) : [...(value as number[])];
}

/** `layers` = N keeps the first N sizes, adding layers of the last size when the stack grows. */
function resize(current: readonly number[], layers: number): number[] {
  return Array.from({ length: layers }, (_, i) => current[Math.min(i, current.length - 1)]);
}

const cnnTable: ModelOptionTable<CnnOptions> = {
  fields: [
    {
      name: 'filters', type: 'integerList', min: 1, max: 1024, maxItems: 6,
      description: 'filters of each 3x3 convolution, first layer first (a max-pool follows all but the last)',
      read: (o) => [...o.filters],
      write: (o, v) => ({ ...o, filters: layerSizes(o.filters, v) }),
    },
    {
      name: 'layers', type: 'integer', min: 1, max: 6,
      description: 'number of convolutions (keeps the first filters, repeats the last when growing)',
      read: (o) => o.filters.length,
      write: (o, v) => ({ ...o, filters: resize(o.filters, v as number) }),
    },
    {
      name: 'denseUnits', type: 'integer', min: 1, max: 4096, description: 'units of the hidden dense layer',
      read: (o) => o.denseUnits,
      write: (o, v) => ({ ...o, denseUnits: v as number }),
    },
    { ...DROPOUT, read: (o) => o.dropout, write: (o, v) => ({ ...o, dropout: v as number }) },
  ],
};

const rnnTable: ModelOptionTable<RnnOptions> = {
  fields: [
    {
      name: 'cell', type: 'choice', choices: ['lstm', 'gru'], description: 'recurrent cell',
      read: (o) => o.cell,
      write: (o, v) => ({ ...o, cell: v as RnnOptions['cell'] }),
    },
    {
      name: 'units', type: 'integerList', min: 1, max: 1024, maxItems: 8,
      description: 'units of each recurrent layer, bottom first',
      read: (o) => [...o.units],
      write: (o, v) => ({ ...o, units: layerSizes(o.units, v) }),
    },
    {
      name: 'layers', type: 'integer', min: 1, max: 8,
      description: 'number of stacked recurrent layers (keeps the first units, repeats the last when growing)',
      read: (o) => o.units.length,
      write: (o, v) => ({ ...o, units: resize(o.units, v as number) }),
    },
    { ...DROPOUT, read: (o) => o.dropout, write: (o, v) => ({ ...o, dropout: v as number }) },
  ],
};

const attentionTable: ModelOptionTable<AttentionOptions> = {
  fields: [
    {
      name: 'patchSize', type: 'integer', min: 1, max: 64, description: 'side of the square patches, in pixels (on larger images than ~48 px, times about side / 32)',
      read: (o) => o.patchSize, write: (o, v) => ({ ...o, patchSize: v as number }),
    },
    {
      name: 'embedDim', type: 'integer', min: 1, max: 1024, description: 'width: size of each patch embedding',
      read: (o) => o.embedDim, write: (o, v) => ({ ...o, embedDim: v as number }),
    },
    {
      name: 'depth', type: 'integer', min: 1, max: 24, description: 'number of transformer blocks',
      read: (o) => o.depth, write: (o, v) => ({ ...o, depth: v as number }),
    },
    {
      name: 'heads', type: 'integer', min: 1, max: 64, description: 'attention heads (must divide embedDim)',
      read: (o) => o.heads, write: (o, v) => ({ ...o, heads: v as number }),
    },
    {
      name: 'mlpDim', type: 'integer', min: 1, max: 4096, description: 'hidden units of each block\'s MLP',
      read: (o) => o.mlpDim, write: (o, v) => ({ ...o, mlpDim: v as number }),
    },
    { ...DROPOUT, description: 'dropout rate after the embedding, attention and MLP', read: (o) => o.dropout, write: (o, v) => ({ ...o, dropout: v as number }) },
  ],
  check: (o) => (o.embedDim % o.heads === 0
    ? undefined
    : `embedDim (${o.embedDim}) must be a multiple of heads (${o.heads}).`),
};

const resnetTable: ModelOptionTable<ResnetOptions> = {
  fields: [
    {
      name: 'stemWidth', type: 'integer', min: 1, max: 512,
      description: 'filters of the stem; the stages then get 2x, 4x, 8x... as many unless widths says otherwise',
      read: (o) => o.stemWidth,
      write: (o, v) => ({ ...o, stemWidth: v as number, widths: o.blocks.map((_, i) => (v as number) * 2 ** (i + 1)) }),
    },
    {
      name: 'widths', type: 'integerList', min: 1, max: 2048, maxItems: 6,
      description: 'filters of each stage, first stage first',
      read: (o) => [...o.widths],
      write: (o, v) => ({ ...o, widths: layerSizes(o.widths, v) }),
    },
    {
      name: 'blocks', type: 'integerList', min: 0, max: 16, maxItems: 6,
      description: 'residual blocks of each stage (its length sets the number of stages)',
      read: (o) => [...o.blocks],
      write: (o, v) => {
        const blocks = layerSizes(o.blocks, v);
        return { ...o, blocks, widths: blocks.map((_, i) => o.widths[i] ?? o.stemWidth * 2 ** (i + 1)) };
      },
    },
    {
      name: 'headScale', type: 'number', min: 0, max: 10, description: 'multiplies the pooled features before the classifier',
      read: (o) => o.headScale, write: (o, v) => ({ ...o, headScale: v as number }),
    },
    {
      name: 'bnMomentum', type: 'number', min: 0, max: 1, maxExclusive: true, description: 'weight of the old value in batch-norm moving averages',
      read: (o) => o.bnMomentum, write: (o, v) => ({ ...o, bnMomentum: v as number }),
    },
  ],
  check: (o) => (o.widths.length === o.blocks.length
    ? undefined
    : `widths (${o.widths.length} stages) and blocks (${o.blocks.length} stages) must list the same number of stages.`),
};

export const MODEL_OPTION_TABLES: ModelOptionTables = {
  cnn: cnnTable,
  rnn: rnnTable,
  attention: attentionTable,
  resnet: resnetTable,
};
