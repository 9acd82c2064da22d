// Exports a page hands its panel to save where the user picks: CSV text, a canvas as a PNG on the theme's
// background, an SVG element as a file.
import type { ExportMessage } from '../../src/protocol/viewCommon';
import { hostChannel } from './hostChannel';

const host = hostChannel<ExportMessage>();

/** A PNG data URL of `canvas` over an opaque background (charts draw on a transparent canvas). */
export function canvasToPng(canvas: HTMLCanvasElement, background: string): string {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d');
  if (!context) return canvas.toDataURL('image/png');
  context.fillStyle = background;
  context.fillRect(0, 0, copy.width, copy.height);
  context.drawImage(canvas, 0, 0);
  return copy.toDataURL('image/png');
}

/** File names from run names: letters, digits, dot, dash and underscore. */
export function exportFileName(base: string, suffix: string, extension: string): string {
  const clean = `${base}-${suffix}`.replace(/[^\w.-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return `${clean || 'export'}.${extension}`;
}

export function exportCsv(fileName: string, content: string): void {
  host.post({ type: 'export', format: 'csv', fileName, content });
}

export function exportPng(fileName: string, canvas: HTMLCanvasElement, background: string): void {
  host.post({ type: 'export', format: 'png', fileName, content: canvasToPng(canvas, background) });
}

export function exportSvg(fileName: string, element: SVGSVGElement): void {
  const copy = element.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  host.post({ type: 'export', format: 'svg', fileName, content: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n` });
}
