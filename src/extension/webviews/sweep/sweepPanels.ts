// The sweep tabs: one editor tab per sweep, restored after a window reload by its id.
import * as vscode from 'vscode';
import { isRunId } from '../../../core/runs/runId';
import { OpenPanels } from '../webviewPanel';
import { SweepPanel, type SweepPanelServices } from './sweepPanel';

export const SWEEP_VIEW_TYPE = 'classifierLab.sweep';

function sweepIdOf(state: unknown): string | undefined {
  const id = (state as { sweepId?: unknown } | null | undefined)?.sweepId;
  return typeof id === 'string' && isRunId(id) ? id : undefined;
}

export class SweepPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<SweepPanel>();
  private readonly serializer: vscode.Disposable;

  constructor(private readonly extensionUri: vscode.Uri, private readonly services: SweepPanelServices) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(SWEEP_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const id = sweepIdOf(state);
        if (id === undefined || this.panels.has(id)) panel.dispose();
        else this.panels.add(new SweepPanel(panel, id, extensionUri, services), id);
      },
    });
  }

  /** Shows the sweep's tab, revealing it when it is open already. */
  open(sweepId: string): void {
    if (!isRunId(sweepId)) throw new Error(`Not a sweep id: ${JSON.stringify(sweepId)}.`);
    if (this.panels.reveal(sweepId)) return;
    const panel = vscode.window.createWebviewPanel(SWEEP_VIEW_TYPE, 'Sweep', vscode.ViewColumn.Active, { enableScripts: true });
    this.panels.add(new SweepPanel(panel, sweepId, this.extensionUri, this.services), sweepId);
  }

  dispose(): void {
    this.panels.dispose();
    this.serializer.dispose();
  }
}
