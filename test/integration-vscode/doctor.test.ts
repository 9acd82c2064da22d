// The training doctor in a real extension host: a diverging run written into the runs folder gets its
// finding in the Problems panel on its run.json, with a quick fix that reruns it with a tenth of the
// learning rate.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeRun } from '../fixtures/doctorRuns';
import { describe, test } from './harness/inHostTests';
import { labApi, waitFor } from './helpers/labApi';

describe('training doctor', () => {
  test('a diverging run shows its finding on run.json, with a quick fix', { timeout: 90_000 }, async () => {
    const api = await labApi();
    const runDir = await writeRun(api.runsDir()!, {
      training: { learningRate: 1 }, firstBatches: [1.386, 6, 11],
      epochs: [{ loss: 11.5, acc: 0.25, valLoss: 12, valAcc: 0.25, recalls: [1, 0, 0, 0] }, { loss: 12.1, acc: 0.25, valLoss: 12.2, valAcc: 0.25, recalls: [1, 0, 0, 0] }],
    });
    const uri = vscode.Uri.file(join(runDir, 'run.json'));
    const diagnostics = await waitFor('the doctor\'s findings', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Classifier Lab doctor');
      return found.length > 0 ? found : undefined;
    }, 30_000);
    const diverged = diagnostics.find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'lossDiverged');
    assert.ok(diverged, `findings: ${diagnostics.map((d) => d.message).join('\n')}`);
    assert.equal(diverged.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diverged.message, /Training diverged: the loss rose from 1\.386/);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.lineAt(diverged.range.start.line).text, /"learningRate": 1/);

    // The first request after opening a JSON file can come back empty: VS Code cancels code-action requests
    // while the JSON language features register their own provider. Ask until the providers have settled.
    let offered: vscode.CodeAction[] = [];
    const fix = await waitFor('the quick fix', async () => {
      offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diverged.range, vscode.CodeActionKind.QuickFix.value);
      return offered.find((action) => action.title === 'Rerun with learning rate 0.1');
    }, 20_000, 500).catch((error: unknown) => {
      throw new Error(`quick fixes offered: ${offered.map((a) => a.title).join(', ') || 'none'} (document language ${document.languageId}): ${String(error)}`);
    });
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(offered.some((action) => action.title === 'Open the Run\'s Dashboard'));
    assert.deepEqual(fix.command?.arguments, [runDir.split(/[\\/]/).at(-1), 'lossDiverged']);
    assert.ok(api.doctorFindings(runDir.split(/[\\/]/).at(-1)!)?.some((d) => d.rule === 'lossDiverged'));
  });
});
