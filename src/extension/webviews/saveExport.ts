// Saves a file a page exported (a chart, a table, a diagram, classifications) where the user picks.
import * as vscode from 'vscode';
import type { ExportFormat, ExportMessage } from '../../protocol/viewCommon';

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  csv: { 'CSV (comma-separated values)': ['csv'] },
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
};

/** Asks where to save (suggesting `defaultFolder`, else the first workspace folder), writes the file and says so, with a way to open it; resolves once written. */
export async function saveExport(file: ExportMessage, defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultFolder ? vscode.Uri.joinPath(defaultFolder, file.fileName) : undefined,
    filters: FILTERS[file.format],
    saveLabel: 'Export',
  });
  if (!target) return;
  // PNGs arrive as data URLs (checked when the message was parsed); CSV and SVG as text.
  const bytes = file.format === 'png'
    ? Buffer.from(file.content.slice(file.content.indexOf(',') + 1), 'base64')
    : Buffer.from(file.content, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  // Not awaited: the notification answers only when dismissed, and the panel's next messages must not wait for that.
  void vscode.window.showInformationMessage(`Exported ${vscode.workspace.asRelativePath(target)}.`, 'Open').then((open) => {
    if (open) void vscode.commands.executeCommand('vscode.open', target);
  });
}
