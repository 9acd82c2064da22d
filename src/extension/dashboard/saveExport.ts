// Saves a chart, table or diagram exported by a dashboard, where the user picks.
import * as vscode from 'vscode';
import type { ExportFormat } from '../../protocol/webview';

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  csv: { 'CSV (comma-separated values)': ['csv'] },
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
};

/** Asks where to save and writes the file; returns the file written, or undefined when the user cancelled. */
export async function saveExport(format: ExportFormat, fileName: string, content: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: FILTERS[format],
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  // PNGs arrive as data URLs (checked by parseWebviewMessage); CSV and SVG as text.
  const bytes = format === 'png'
    ? Buffer.from(content.slice(content.indexOf(',') + 1), 'base64')
    : Buffer.from(content, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}
