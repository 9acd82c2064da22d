// The page of a "Classify Image" result tab: the classify app in the shared strict-CSP shell.
import * as vscode from 'vscode';
import { webviewPageHtml } from '../webviewPageHtml';

export function classifyHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewPageHtml(webview, {
    script: vscode.Uri.joinPath(extensionUri, 'dist', 'classifyWebview.js'),
    style: vscode.Uri.joinPath(extensionUri, 'dist', 'classifyWebview.css'),
    title,
    loadingText: `Classifying ${title}…`,
  });
}
