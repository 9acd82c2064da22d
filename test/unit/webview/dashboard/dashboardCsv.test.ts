import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchesCsv, confusionCsv, epochsCsv } from '../../../../webview/dashboard/dashboardCsv';

describe('dashboard CSV exports', () => {
  test('writes one row per epoch with every metric', () => {
    const csv = epochsCsv([{ epoch: 1, time: 't', loss: 0.5, acc: 0.8, valLoss: 0.6, valAcc: 0.75, learningRate: 0.001, imagesPerSecond: 800, durationMs: 1000, isBest: true, perClass: [] }]);
    assert.equal(csv, 'epoch,time,loss,accuracy,val_loss,val_accuracy,learning_rate,images_per_second,duration_ms,is_best\r\n1,t,0.5,0.8,0.6,0.75,0.001,800,1000,true\r\n');
  });

  test('writes one row per batch, NaN losses included', () => {
    const csv = batchesCsv({ step: [1, 2], epoch: [1, 1], loss: [2.3, NaN], acc: [0.1, 0.2], learningRate: [0.01, 0.01], imagesPerSecond: [500, 510] });
    assert.equal(csv.split('\r\n')[2], '2,1,NaN,0.2,0.01,510');
  });

  test('writes the matrix with class names as the header row and first column', () => {
    const csv = confusionCsv({ epoch: 3, split: 'val', classes: ['cat', 'dog, big'], matrix: [[5, 1], [2, 7]], perClass: [] });
    assert.equal(csv, 'true \\ predicted,cat,"dog, big"\r\ncat,5,1\r\n"dog, big",2,7\r\n');
  });
});
