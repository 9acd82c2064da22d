// The extension as the editor sees it: installed under its published id, and activating cleanly in
// a real VS Code extension host.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, test } from './harness/inHostTests';

const EXTENSION_ID = 'classifier-lab.classifier-lab';

describe('extension', () => {
  test('is installed under its publisher.name id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among ${vscode.extensions.all.length} extensions`);
    assert.equal(extension.packageJSON.displayName, 'Classifier Lab');
  });

  test('activates without error', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('sees the sample workspace with its datasets', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no folder is open');
    const data = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(folder.uri, 'data'));
    assert.deepEqual(data.map(([name]) => name).sort(), ['colour-shapes', 'mnist-digits']);
  });
});
