// Optimisers with decoupled weight decay (Loshchilov & Hutter's AdamW, and the same for SGD with momentum),
// as tfjs optimiser classes that save and load with a model's checkpoint like the built-in ones.
import * as tf from '@tensorflow/tfjs-core';

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/**
 * Multiplies each variable that has a gradient in this step, and is a kernel (rank >= 2: not a bias or a
 * norm's scale/shift), by 1 - rate * weightDecay. Done before the gradient step, as PyTorch's AdamW does.
 */
function decayWeights(variableGradients: VariableGradients, learningRate: number, weightDecay: number): void {
  const factor = 1 - learningRate * weightDecay;
  if (factor === 1) return;
  const entries: [string, tf.Tensor | null | undefined][] = Array.isArray(variableGradients)
    ? variableGradients.map((item) => [item.name, item.tensor])
    : Object.entries(variableGradients);
  tf.tidy(() => {
    for (const [name, gradient] of entries) {
      if (gradient == null) continue;
      const variable = tf.engine().registeredVariables[name];
      if (variable === undefined || variable.rank < 2) continue;
      variable.assign(tf.mul(variable, factor));
    }
  });
}

/** Adam with decoupled weight decay: w <- w * (1 - lr * wd), then the usual Adam step. */
export class AdamW extends tf.AdamOptimizer {
  static override get className(): string {
    return 'AdamW';
  }

  constructor(learningRate: number, beta1: number, beta2: number, epsilon: number | null, readonly weightDecay: number) {
    // tfjs takes a null epsilon as "the backend's epsilon" (1e-7 for float32), as tf.train.adam does.
    super(learningRate, beta1, beta2, epsilon as number);
  }

  override applyGradients(variableGradients: VariableGradients): void {
    decayWeights(variableGradients, this.learningRate, this.weightDecay);
    super.applyGradients(variableGradients);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config.learningRate, config.beta1, config.beta2, config.epsilon, config.weightDecay);
  }
}

/**
 * SGD with (optionally Nesterov) momentum and decoupled weight decay: w <- w * (1 - lr * wd), then the
 * momentum step of tf.train.momentum (accumulation = momentum * accumulation + gradient).
 */
export class SGDW extends tf.MomentumOptimizer {
  static override get className(): string {
    return 'SGDW';
  }

  constructor(learningRate: number, momentum: number, useNesterov: boolean, readonly weightDecay: number) {
    super(learningRate, momentum, useNesterov);
  }

  override applyGradients(variableGradients: VariableGradients): void {
    decayWeights(variableGradients, this.learningRate, this.weightDecay);
    super.applyGradients(variableGradients);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config.learningRate, config.momentum, config.useNesterov, config.weightDecay);
  }
}

/** Makes the optimisers known to tfjs' deserialiser, so a checkpoint that uses one compiles again on load. */
export function registerOptimizers(): void {
  tf.serialization.registerClass(AdamW);
  tf.serialization.registerClass(SGDW);
}
