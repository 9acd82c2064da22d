// The recurrent classifier: reads an image top to bottom, one row of pixels (one band of rows on larger
// images) per time step.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageShape, RnnOptions } from '../runSpec';
import { RunSpecError } from '../runSpecDefaults';
import { checkDropout, checkModelInputs, checkPositiveInt } from './checkModelInputs';
import { inputDownsampling } from './inputDownsampling';

/**
 * Rows read per time step: 1 up to 47 px high, then about h / 32 (2 at 64 px, 3 at 96, 4 at 128), so
 * the sequence stays about 32 steps long (each step is a matrix product the next one waits for) and
 * every pixel is still read.
 */
export function rowsPerStep(height: number): number {
  return inputDownsampling(height);
}

/**
 * Input [batch, h, w, c] is reshaped to a sequence [batch, h / r, r * w * c] of bands of r = rowsPerStep(h)
 * rows (the last h mod r rows are left out); a stack of LSTM or GRU layers
 * (all but the last return their whole sequence) ends in one vector per image, then optional dropout
 * and a softmax over the classes.
 */
export function createRnn(options: RnnOptions, inputShape: ImageShape, numClasses: number): tfl.LayersModel {
  checkModelInputs(inputShape, numClasses);
  const { cell, units, dropout } = options;
  if (cell !== 'lstm' && cell !== 'gru') throw new RunSpecError(`Unknown recurrent cell "${String(cell)}": use lstm or gru.`);
  if (units.length === 0) throw new RunSpecError('The RNN needs at least one recurrent layer (units is empty).');
  units.forEach((u, i) => checkPositiveInt(u, `RNN units[${i}]`));
  checkDropout(dropout);
  const [h, w, c] = inputShape;

  const band = rowsPerStep(h);
  const steps = Math.floor(h / band);

  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x: tfl.SymbolicTensor = input;
  if (steps * band < h) {
    x = tfl.layers.cropping2D({ cropping: [[0, h - steps * band], [0, 0]], name: 'whole_bands' }).apply(x) as tfl.SymbolicTensor;
  }
  x = tfl.layers.reshape({ targetShape: [steps, band * w * c], name: 'rows' }).apply(x) as tfl.SymbolicTensor;
  units.forEach((count, i) => {
    const args = {
      units: count,
      returnSequences: i < units.length - 1,
      // tfjs defaults to hard_sigmoid gates; the logistic sigmoid is the standard choice and trains more smoothly.
      recurrentActivation: 'sigmoid' as const,
      // tfjs' default orthogonal initializer calls chained tensor methods (x.flatten()) that tfjs-core
      // alone does not install, so it throws here; glorot-uniform needs nothing extra to build or load.
      recurrentInitializer: 'glorotUniform' as const,
      name: `${cell}${i + 1}`,
    };
    x = (cell === 'lstm' ? tfl.layers.lstm(args) : tfl.layers.gru(args)).apply(x) as tfl.SymbolicTensor;
  });
  if (dropout > 0) x = tfl.layers.dropout({ rate: dropout, name: 'dropout' }).apply(x) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: numClasses, activation: 'softmax', name: 'probabilities' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: 'rnn' });
}
