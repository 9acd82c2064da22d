// The page of a dashboard webview: the dashboard app in the shared strict-CSP shell, told which view and runs to show.
import * as vscode from 'vscode';
import { webviewPageHtml } from '../webviewPageHtml';

export type DashboardView = 'run' | 'compare';

/** Folders the webview may load files from: the bundled app and its stylesheet, plus `extra` (dataset folders, for thumbnails). */
export function dashboardResourceRoots(extensionUri: vscode.Uri, extra: readonly vscode.Uri[] = []): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...extra];
}

export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: DashboardView, runIds: readonly string[], title: string): string {
  return webviewPageHtml(webview, {
    script: vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'),
    style: vscode.Uri.joinPath(extensionUri, 'media', 'dashboard.css'),
    title,
    loadingText: `Loading ${title}…`,
    data: { view, 'run-ids': JSON.stringify(runIds) },
  });
}
