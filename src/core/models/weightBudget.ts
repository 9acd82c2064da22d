// Caps the weights a model rebuilt from untrusted files may allocate: tfjs creates every layer's weights
// (filled by their initializers) while it rebuilds the topology, before it checks them against the saved
// ones, so a model.json asking for a Dense layer of 8 million units would cost gigabytes before failing.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelFileError } from './modelFileError';

interface Budget {
  /** Weight values (elements) still allowed. */
  remaining: number;
  /** The weights created so far, to give back if the load fails half way. */
  created: { dispose(): void }[];
}

const budgets = new AsyncLocalStorage<Budget>();
let installed = false;

type AddWeight = (this: tfl.layers.Layer, name: string, shape: number[], ...rest: unknown[]) => unknown;

/**
 * Every layer creates its weights through Layer.addWeight; wrapping it once lets a budget, set for one
 * asynchronous load only (AsyncLocalStorage), refuse a weight before it is allocated. Outside a load
 * (training builds its models freely) the wrapper just calls through.
 */
function install(): void {
  if (installed) return;
  installed = true;
  const prototype = tfl.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = prototype.addWeight;
  prototype.addWeight = function addWeight(this: tfl.layers.Layer, name: string, shape: number[], ...rest: unknown[]) {
    const budget = budgets.getStore();
    if (budget) {
      const values = shape.reduce((a, b) => a * b, 1);
      if (!Number.isFinite(values) || values > budget.remaining) {
        throw new ModelFileError(
          `its layer "${this.name}" asks for a weight "${name}" of shape [${shape.join(', ')}] (${values.toLocaleString('en')} values), ` +
          `more than its weights manifest holds: the topology does not match its weights, so the model is not built.`);
      }
      budget.remaining -= values;
      const weight = original.call(this, name, shape, ...rest) as { dispose(): void };
      budget.created.push(weight);
      return weight;
    }
    return original.call(this, name, shape, ...rest);
  };
}

/**
 * Runs `load` with at most `values` weight values allocated by layers it builds. When it fails, the
 * weights its layers did create are disposed (the half-built model is unreachable).
 */
export async function withWeightBudget<T>(values: number, load: () => Promise<T>): Promise<T> {
  install();
  const budget: Budget = { remaining: values, created: [] };
  try {
    return await budgets.run(budget, load);
  } catch (error) {
    for (const weight of budget.created) weight.dispose();
    throw error;
  }
}
