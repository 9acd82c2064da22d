// The HTML shell every Classifier Lab webview loads: a strict content security policy (no remote content,
// scripts only with this load's fresh nonce, styles, images and fonts only from the webview's own origin),
// one bundled script and one stylesheet.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export interface WebviewPage {
  script: vscode.Uri;
  style: vscode.Uri;
  title: string;
  /** Shown until the app has rendered. */
  loadingText: string;
  /** data-* attributes of <body> that tell the app what to show (values are escaped here). */
  data?: Record<string, string>;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function webviewPageHtml(webview: vscode.Webview, page: WebviewPage): string {
  const nonce = randomBytes(18).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource}`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const data = Object.entries(page.data ?? {}).map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${webview.asWebviewUri(page.style).toString()}">
<title>${escapeHtml(page.title)}</title>
</head>
<body${data}>
<main id="app" aria-busy="true"><p class="loading">${escapeHtml(page.loadingText)}</p></main>
<script nonce="${nonce}" src="${webview.asWebviewUri(page.script).toString()}"></script>
</body>
</html>`;
}
