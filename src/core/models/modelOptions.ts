// Reading, checking and setting a model's options by name (`units=64,64`, `"model.layers": 2`), from the
// per-kind tables, with messages that name the option, the model and the values it accepts.
import type { ModelKind, ModelSpec } from '../runSpec';
import { RunSpecError } from '../runSpecError';
import {
  MODEL_OPTION_TABLES, type ModelOptionEntry, type ModelOptionField, type ModelOptionTable, type ModelOptionValue,
} from './modelOptionTables';

export type { ModelOptionField, ModelOptionValue };

type AnyOptions = ModelSpec['options'];

function tableOf(kind: string): ModelOptionTable<AnyOptions> | undefined {
  return Object.prototype.hasOwnProperty.call(MODEL_OPTION_TABLES, kind)
    ? (MODEL_OPTION_TABLES[kind as ModelKind] as unknown as ModelOptionTable<AnyOptions>)
    : undefined;
}

function requireTable(kind: string): ModelOptionTable<AnyOptions> {
  const table = tableOf(kind);
  if (!table) throw new RunSpecError(`Unknown model "${kind}": use one of ${Object.keys(MODEL_OPTION_TABLES).join(', ')}.`);
  return table;
}

/** The options a model kind accepts, in the order they apply (for help text, pickers and sweep spaces). */
export function modelOptionFields(kind: ModelKind): readonly ModelOptionField[] {
  return requireTable(kind).fields.map(({ read: _read, write: _write, ...field }) => field);
}

/** The field of `kind` called `name`, or undefined. */
export function findModelOption(kind: string, name: string): ModelOptionField | undefined {
  return tableOf(kind)?.fields.find((field) => field.name === name);
}

/** What a field accepts, in words: `a whole number from 1 to 1024`. */
export function describeAccepted(field: ModelOptionField, listSeparator: 'comma' | 'json' = 'json'): string {
  switch (field.type) {
    case 'integer':
      return `a whole number from ${field.min} to ${field.max}`;
    case 'number':
      return `a number from ${field.min} to ${field.max}${field.maxExclusive ? ' (excluded)' : ''}`;
    case 'integerList':
      return `a whole number from ${field.min} to ${field.max} for every layer, or ` +
        (listSeparator === 'comma' ? `a comma-separated list of up to ${field.maxItems} of them (one per layer)` : `a list of up to ${field.maxItems} of them (one per layer)`);
    case 'choice':
      return `one of ${field.choices.join(', ')}`;
  }
}

/** `units (a whole number ...), layers (...)`: every option of a kind, for "unknown option" messages. */
export function listModelOptions(kind: ModelKind): string {
  return modelOptionFields(kind).map((field) => field.name).join(', ');
}

function inRange(value: unknown, field: { min: number; max: number; maxExclusive?: boolean }, integer: boolean): value is number {
  return typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)) &&
    value >= field.min && (field.maxExclusive ? value < field.max : value <= field.max);
}

/** True when `value` is acceptable for `field`. */
export function isModelOptionValue(field: ModelOptionField, value: unknown): value is ModelOptionValue {
  switch (field.type) {
    case 'integer':
      return inRange(value, field, true);
    case 'number':
      return inRange(value, field, false);
    case 'integerList':
      return inRange(value, field, true) ||
        (Array.isArray(value) && value.length >= 1 && value.length <= field.maxItems && value.every((item) => inRange(item, field, true)));
    case 'choice':
      return typeof value === 'string' && field.choices.includes(value);
  }
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
}

/** The field, or a RunSpecError naming the unknown option and the ones the model has. */
function requireField(kind: ModelKind, name: string): ModelOptionField {
  const field = findModelOption(kind, name);
  if (!field) throw new RunSpecError(`Unknown option "${name}" for model ${kind}: its options are ${listModelOptions(kind)}.`);
  return field;
}

/** Checks one value from JSON (a sweep space, a saved spec); throws a RunSpecError naming the option and what it accepts. */
export function checkModelOptionValue(kind: ModelKind, name: string, value: unknown): ModelOptionValue {
  const field = requireField(kind, name);
  if (!isModelOptionValue(field, value)) {
    throw new RunSpecError(`Model option "${name}" of ${kind} must be ${describeAccepted(field)} (got ${shown(value)}).`);
  }
  return value;
}

/**
 * Parses `name=value` as typed after --model-option: numbers, comma-separated lists (`units=64,64`) and
 * names (`cell=gru`). Throws a RunSpecError naming the option and the values it accepts.
 */
export function parseModelOptionText(kind: ModelKind, text: string): { name: string; value: ModelOptionValue } {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    throw new RunSpecError(`--model-option needs name=value, e.g. ${modelOptionFields(kind)[0].name}=... (got "${text}"). Options of ${kind}: ${listModelOptions(kind)}.`);
  }
  const name = text.slice(0, equals).trim();
  const raw = text.slice(equals + 1).trim();
  const field = requireField(kind, name);
  let value: unknown = raw;
  if (field.type === 'integerList' && raw.includes(',')) {
    value = raw.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  } else if (field.type !== 'choice') {
    value = raw === '' ? Number.NaN : Number(raw);
  }
  if (!isModelOptionValue(field, value)) {
    throw new RunSpecError(`Model option "${name}" of ${kind} must be ${describeAccepted(field, 'comma')} (got "${raw}").`);
  }
  return { name, value };
}

/**
 * The model spec with `values` set (each checked), applied in the table's order whatever order they come
 * in, so `units=64` then `layers=2` and the reverse both give two layers of 64. Throws a RunSpecError.
 */
export function applyModelOptions(spec: ModelSpec, values: Readonly<Record<string, unknown>>): ModelSpec {
  const table = requireTable(spec.kind);
  for (const [name, value] of Object.entries(values)) checkModelOptionValue(spec.kind, name, value);
  let options: AnyOptions = structuredClone(spec.options);
  for (const field of table.fields as readonly ModelOptionEntry<AnyOptions>[]) {
    if (Object.prototype.hasOwnProperty.call(values, field.name)) options = field.write(options, values[field.name] as ModelOptionValue);
  }
  const problem = table.check?.(options);
  if (problem) throw new RunSpecError(`Model ${spec.kind}: ${problem}`);
  return { kind: spec.kind, options } as ModelSpec;
}

/** The current value of every option of the spec's kind, by name (e.g. for a summary or a sweep's parameters). */
export function readModelOptions(spec: ModelSpec): Record<string, ModelOptionValue> {
  const table = requireTable(spec.kind);
  const out: Record<string, ModelOptionValue> = {};
  for (const field of table.fields) out[field.name] = field.read(spec.options as never);
  return out;
}

/** Why a spec's model options cannot work (one sentence naming the option), or undefined when they can. */
export function modelOptionsProblem(spec: ModelSpec): string | undefined {
  const table = tableOf(spec.kind);
  if (!table) return undefined;
  if (typeof spec.options !== 'object' || spec.options === null) return `Model ${spec.kind} has no options object.`;
  for (const field of table.fields) {
    let value: unknown;
    try {
      value = field.read(spec.options);
    } catch {
      value = undefined;
    }
    if (!isModelOptionValue(field, value) || (field.type === 'integerList' && !Array.isArray(value))) {
      return `Model option "${field.name}" of ${spec.kind} must be ${describeAccepted(field)} (got ${shown(value)}).`;
    }
  }
  const problem = table.check?.(spec.options);
  return problem ? `Model ${spec.kind}: ${problem}` : undefined;
}
