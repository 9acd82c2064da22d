// The preview's sliders: ranges a run spec accepts (crop padding up to the image side), saturation off
// for grey images, values kept in range and rounded as the spec stores them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { noAugmentation } from '../../../../src/core/data/augment';
import { strengthControls, strengthText, withStrength } from '../../../../webview/augmentPreview/previewControls';

describe('preview sliders', () => {
  test('one slider per strength; crop padding up to the image side; saturation disabled for grey images', () => {
    const colour = strengthControls([32, 32, 3]);
    assert.deepEqual(colour.map((c) => [c.key, c.max]), [['rotateDegrees', 180], ['cropPadding', 32], ['brightness', 1], ['contrast', 1], ['saturation', 1]]);
    assert.equal(colour.find((c) => c.key === 'saturation')!.disabled, undefined);
    const grey = strengthControls([28, 28, 1]);
    assert.equal(grey.find((c) => c.key === 'cropPadding')!.max, 28);
    assert.match(grey.find((c) => c.key === 'saturation')!.disabled ?? '', /grey/);
    assert.equal(strengthControls([224, 224, 3]).find((c) => c.key === 'cropPadding')!.max, 64, 'never beyond what a spec accepts');
  });

  test('a moved slider sets its strength, in range and rounded', () => {
    const [rotate, crop, brightness] = strengthControls([32, 32, 3]);
    assert.equal(withStrength(noAugmentation(), rotate, 22.46).rotateDegrees, 22.5);
    assert.equal(withStrength(noAugmentation(), rotate, 500).rotateDegrees, 180);
    assert.equal(withStrength(noAugmentation(), crop, 2.6).cropPadding, 3);
    assert.equal(withStrength(noAugmentation(), brightness, 0.333).brightness, 0.33);
    assert.equal(withStrength(noAugmentation(), brightness, -1).brightness, 0);
    assert.equal(withStrength(noAugmentation(), brightness, NaN).brightness, 0);
    assert.deepEqual(withStrength({ ...noAugmentation(), flip: true }, crop, 4), { ...noAugmentation(), flip: true, cropPadding: 4 });
  });

  test('strengths read as a user reads them', () => {
    assert.equal(strengthText('rotateDegrees', 0), 'off');
    assert.equal(strengthText('rotateDegrees', 15), '±15°');
    assert.equal(strengthText('cropPadding', 4), '4 px');
    assert.equal(strengthText('contrast', 0.25), '±25%');
  });
});
