// Reads a model folder's model.json into a layer graph, without loading TensorFlow.js.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ModelGraphError, parseModelGraph, type ModelGraph } from './modelGraph';
import { errorMessage } from '../errorMessage';

/** The graph of `<modelDir>/model.json`, or undefined when the folder has no model yet. */
export async function readModelGraph(modelDir: string): Promise<ModelGraph | undefined> {
  const path = join(modelDir, 'model.json');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelGraphError(`Cannot read ${path}: ${errorMessage(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelGraphError(`${path} is not valid JSON (${errorMessage(error)}).`);
  }
  return parseModelGraph(json);
}
