import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIT_MARGIN, fitView, isInView, keepInPlace, MAX_SCALE, minimumScale, panBy, toViewport, wheelZoomFactor, zoomAt, type View,
} from '../../../../webview/dashboard/viewport';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

describe('diagram viewport', () => {
  const viewport = { width: 800, height: 600 };

  test('fit zooms out until a tall drawing shows whole, centred, inside the margin', () => {
    // A 26-layer transformer drawn top-down: narrow and very tall.
    const drawing = { width: 300, height: 3000 };
    const view = fitView(drawing, viewport);
    close(view.scale, (600 - 2 * FIT_MARGIN) / 3000, 'limited by the height');
    assert.ok(view.scale < 1, 'zoomed out, not in');
    assert.ok(isInView(view, viewport, { x: 0, y: 0, ...drawing }));
    close(view.y, FIT_MARGIN, 'top margin');
    close(toViewport(view, { x: drawing.width / 2, y: 0 }).x, viewport.width / 2, 'centred across');
    // Any corner of the drawing is inside; a little beyond it is not.
    assert.ok(!isInView(view, viewport, { x: 0, y: -40 / view.scale, width: 10, height: 10 }));
  });

  test('fit never blows a small drawing up beyond 100% unless asked', () => {
    const small = { width: 200, height: 100 };
    assert.equal(fitView(small, viewport).scale, 1);
    close(fitView(small, viewport, MAX_SCALE).scale, Math.min((800 - 32) / 200, (600 - 32) / 100, MAX_SCALE), 'up to the cap');
    const view = fitView(small, viewport);
    close(view.x, 300, 'centred');
    close(view.y, 250, 'centred');
  });

  test('zooming about a point keeps that point of the drawing under it', () => {
    const view: View = { scale: 0.5, x: 40, y: -100 };
    const at = { x: 310, y: 220 };
    const drawingPoint = { x: (at.x - view.x) / view.scale, y: (at.y - view.y) / view.scale };
    const zoomed = zoomAt(view, 1.25, at, { min: 0.1, max: 4 });
    close(zoomed.scale, 0.625, 'scale');
    const after = toViewport(zoomed, drawingPoint);
    close(after.x, at.x, 'x stays');
    close(after.y, at.y, 'y stays');
    // Zooming in and out again returns to the same view.
    const back = zoomAt(zoomed, 1 / 1.25, at, { min: 0.1, max: 4 });
    close(back.x, view.x, 'x back');
    close(back.y, view.y, 'y back');
  });

  test('zoom stops at its limits, still about the point', () => {
    const view: View = { scale: 3.5, x: 0, y: 0 };
    const zoomed = zoomAt(view, 2, { x: 100, y: 100 }, { min: 0.1, max: 4 });
    assert.equal(zoomed.scale, 4);
    close(toViewport(zoomed, { x: 100 / 3.5, y: 100 / 3.5 }).x, 100, 'point stays');
    assert.equal(zoomAt({ scale: 0.12, x: 0, y: 0 }, 0.5, { x: 0, y: 0 }, { min: 0.1, max: 4 }).scale, 0.1);
  });

  test('the smallest zoom is low enough to see a huge drawing whole', () => {
    const huge = { width: 400, height: 60_000 };
    const min = minimumScale(huge, viewport);
    assert.ok(min < 0.1);
    assert.ok(isInView(fitView(huge, viewport), viewport, { x: 0, y: 0, ...huge }));
    assert.ok(fitView(huge, viewport).scale >= min);
    assert.equal(minimumScale({ width: 100, height: 100 }, viewport), 0.1);
  });

  test('panning moves the drawing; a group that expands stays where it was on screen', () => {
    assert.deepEqual(panBy({ scale: 2, x: 10, y: 20 }, -48, 5), { scale: 2, x: -38, y: 25 });
    const view: View = { scale: 0.8, x: 30, y: -200 };
    const before = { x: 120, y: 900 };
    const after = { x: 60, y: 940 };
    const kept = keepInPlace(view, before, after);
    const was = toViewport(view, before);
    const now = toViewport(kept, after);
    close(now.x, was.x, 'x');
    close(now.y, was.y, 'y');
  });

  test('a wheel notch zooms one step; trackpad deltas zoom a little; up zooms in', () => {
    assert.ok(wheelZoomFactor(-100, 0) > 1);
    assert.ok(wheelZoomFactor(100, 0) < 1);
    close(wheelZoomFactor(100, 0) * wheelZoomFactor(-100, 0), 1, 'symmetric');
    assert.ok(Math.abs(wheelZoomFactor(2, 0) - 1) < 0.01, 'small deltas, small steps');
    close(wheelZoomFactor(3, 1), wheelZoomFactor(48, 0), 'lines are 16 px');
    assert.ok(wheelZoomFactor(10_000, 0) > 0.6, 'one event never zooms out by more than a step');
  });
});
