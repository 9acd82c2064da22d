// The HTML page of a dashboard webview: a strict content security policy (no remote content, scripts
// only with this load's nonce), the bundled app and its stylesheet.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export type DashboardView = 'run' | 'compare';

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Folders the webview may load files from: the bundled app and its stylesheet, plus `extra` (dataset folders, for thumbnails). */
export function dashboardResourceRoots(extensionUri: vscode.Uri, extra: readonly vscode.Uri[] = []): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...extra];
}

export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: DashboardView, runIds: readonly string[], title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dashboard.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource}`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeAttribute(title)}</title>
</head>
<body data-view="${view}" data-run-ids="${escapeAttribute(JSON.stringify(runIds))}">
<main id="app" aria-busy="true"><p class="loading">Loading ${escapeAttribute(title)}…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
