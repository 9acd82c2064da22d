// Child-process helper for modelFiles.test.ts: loads a saved model in a fresh process (no model
// factory has run, so no custom layer was registered by building one) and prints its predictions
// for a fixed probe batch as JSON.
import type * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { loadModelFromDir } from '../../../../src/core/models/modelFiles';
import { probeBatch } from './probeBatch';

async function main(): Promise<void> {
  const [dir, backend] = process.argv.slice(2);
  await initBackend(backend as 'wasm' | 'cpu');
  const model = await loadModelFromDir(dir);
  const [, h, w, c] = model.inputs[0].shape as number[];
  const probabilities = model.predict(probeBatch([h, w, c])) as tf.Tensor;
  process.stdout.write(JSON.stringify(Array.from(probabilities.dataSync())));
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error).stack ?? error));
  process.exitCode = 1;
});
