// The one way a sweep command finds its sweep: the clicked row of the Experiments view, a sweep id (from a
// tab or a notification), or, from the palette, a quick pick of the sweeps the command can act on.
import * as vscode from 'vscode';
import type { SweepRecord } from '../../core/sweeps/sweepRecord';
import type { Lab } from '../lab';
import type { ExperimentNode } from '../views/experimentsTree';
import { sweepDescription, sweepIcon } from '../views/sweepPresentation';

export interface SweepPickOptions {
  filter?(sweep: SweepRecord): boolean;
  placeHolder: string;
  /** Said instead of picking when no sweep qualifies. */
  none: string;
}

/** The sweep a command was given (a row or an id), else one the user picks; undefined when there is none (said) or the user escaped. */
export async function resolveSweep(lab: Lab, arg: unknown, options: SweepPickOptions): Promise<SweepRecord | undefined> {
  const node = arg as ExperimentNode | undefined;
  const id = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && node?.kind === 'sweep' ? node.group.sweep.id : undefined;
  if (id !== undefined) {
    const sweep = lab.sweeps.sweep(id) ?? await lab.sweeps.refresh().then(() => lab.sweeps.sweep(id));
    if (!sweep) throw new Error(`There is no sweep ${id} in ${lab.sweeps.dir ?? 'the sweeps folder'}.`);
    return sweep;
  }
  const sweeps = lab.sweeps.sweeps.filter((sweep) => options.filter?.(sweep) ?? true);
  if (sweeps.length === 0) {
    void vscode.window.showInformationMessage(options.none);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(sweeps.map((sweep) => ({
    sweep, label: sweep.name, description: sweepDescription(sweep), detail: `${sweep.spec.method} search · ${sweep.status}`,
    iconPath: new vscode.ThemeIcon(sweepIcon(sweep).id),
  })), { placeHolder: options.placeHolder, matchOnDescription: true });
  return picked?.sweep;
}
