// The architecture diagram's view: which part of the drawing shows at what scale, as plain numbers.
// A point p of the drawing shows at p * scale + (x, y) in the viewport (CSS pixels from its top-left).

export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** The largest zoom: text at 4x is large enough to read any label. */
export const MAX_SCALE = 4;
/** The smallest zoom, unless fitting a huge drawing needs less. */
export const MIN_SCALE = 0.1;
/** Space kept around the drawing when it is fitted to the view. */
export const FIT_MARGIN = 16;
/** One step of the keyboard and the zoom buttons. */
export const ZOOM_STEP = 1.25;
/** How far an arrow key moves the drawing, in viewport pixels (Shift: four times as far). */
export const PAN_STEP = 48;

/** The smallest zoom allowed for a drawing: low enough to see all of it. */
export function minimumScale(content: Size, viewport: Size): number {
  return Math.min(MIN_SCALE, fitScale(content, viewport));
}

function fitScale(content: Size, viewport: Size): number {
  const width = Math.max(1, viewport.width - 2 * FIT_MARGIN);
  const height = Math.max(1, viewport.height - 2 * FIT_MARGIN);
  return Math.min(width / Math.max(1, content.width), height / Math.max(1, content.height));
}

/**
 * The whole drawing in the viewport, centred: zoomed out as far as it takes, and in no further than
 * `maxScale` (so a small model is not blown up).
 */
export function fitView(content: Size, viewport: Size, maxScale = 1): View {
  const scale = Math.min(maxScale, fitScale(content, viewport));
  return {
    scale,
    x: (viewport.width - content.width * scale) / 2,
    y: (viewport.height - content.height * scale) / 2,
  };
}

/** Zooms by `factor` about a viewport point (the mouse, or the centre), which stays where it is. */
export function zoomAt(view: View, factor: number, at: Point, limits: { min: number; max: number }): View {
  const scale = Math.min(limits.max, Math.max(limits.min, view.scale * factor));
  const applied = scale / view.scale;
  return { scale, x: at.x - (at.x - view.x) * applied, y: at.y - (at.y - view.y) * applied };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** The zoom factor of one wheel event: smooth for trackpads (small deltas), a fixed step per notch for mice. */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  // deltaMode 1 = lines, 2 = pages; 0 = pixels.
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-Math.max(-200, Math.min(200, pixels)) * 0.002);
}

/** Where a drawing point shows in the viewport. */
export function toViewport(view: View, point: Point): Point {
  return { x: point.x * view.scale + view.x, y: point.y * view.scale + view.y };
}

/**
 * The view after the drawing changed around an anchor (a group that expanded or collapsed): the
 * anchor's new position shows where its old one did, so the change happens in place.
 */
export function keepInPlace(view: View, before: Point, after: Point): View {
  return { ...view, x: view.x + (before.x - after.x) * view.scale, y: view.y + (before.y - after.y) * view.scale };
}

/** True when the rectangle (in drawing units) lies entirely inside the viewport. */
export function isInView(view: View, viewport: Size, rect: Point & Size): boolean {
  const topLeft = toViewport(view, rect);
  const bottomRight = toViewport(view, { x: rect.x + rect.width, y: rect.y + rect.height });
  return topLeft.x >= -0.5 && topLeft.y >= -0.5 && bottomRight.x <= viewport.width + 0.5 && bottomRight.y <= viewport.height + 0.5;
}

/** The SVG transform for a view. */
export function transformOf(view: View): string {
  return `translate(${view.x.toFixed(2)} ${view.y.toFixed(2)}) scale(${view.scale.toFixed(5)})`;
}
