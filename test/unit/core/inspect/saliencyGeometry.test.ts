// The heat map is drawn where the network looked: feature cells are placed on the input by the
// convolution and pooling geometry, not stretched evenly over the image.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { createCnn } from '../../../../src/core/models/createCnn';
import { featureMapping, normalise, upsample } from '../../../../src/core/inspect/saliencyGeometry';

describe('featureMapping', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('the default CNN on 32x32: its last convolution\'s 4 cells are centred on pixels 8.5, 12.5, 16.5, 20.5', () => {
    const model = createCnn({ filters: [32, 64, 64], denseUnits: 64, dropout: 0 }, [32, 32, 3], 10);
    const chain = model.layers.slice(0, model.layers.findIndex((l) => l.name === 'conv3') + 1);
    const mapping = featureMapping(chain);
    assert.ok(mapping);
    for (const axis of mapping) assert.deepEqual(axis, { offset: 8.5, step: 4 });
    model.dispose();
  });

  test('\'same\' padding and strides keep cells aligned with the pixels they cover', () => {
    const input = tfl.input({ shape: [8, 8, 1] });
    const conv = tfl.layers.conv2d({ filters: 1, kernelSize: 3, strides: 2, padding: 'same' });
    conv.apply(input);
    const mapping = featureMapping([conv]);
    // TensorFlow pads 'same' 3x3 stride 2 on 8 pixels with 0 before and 1 after: cell i covers 2i..2i+2.
    assert.deepEqual(mapping, [{ offset: 1, step: 2 }, { offset: 1, step: 2 }]);
  });

  test('an unknown spatial layer gives no mapping (the caller stretches instead)', () => {
    const input = tfl.input({ shape: [8, 8, 1] });
    const upsampling = tfl.layers.upSampling2d({ size: [2, 2] });
    upsampling.apply(input);
    assert.equal(featureMapping([upsampling]), undefined);
  });
});

describe('upsample and normalise', () => {
  test('cells land on their centres and values between them are interpolated; edges are clamped', () => {
    const map = upsample([[0, 1]], 1, 5, { offset: 0, step: 1 }, { offset: 1, step: 2 });
    assert.deepEqual(map, [[0, 0, 0.5, 1, 1]]);
    assert.deepEqual(normalise([[0, 2], [1, 4]]), [[0, 0.5], [0.25, 1]]);
    assert.deepEqual(normalise([[0, 0]]), [[0, 0]]);
  });
});
