// Open Dashboard (one run) and Compare Runs (two or more in one tab).
import * as vscode from 'vscode';
import type { Command } from './command';
import { givenRuns, isRecorded, pickRuns, recorded, resolveRun } from './runArguments';

export const openDashboardCommand: Command = {
  id: 'classifierLab.openDashboard',
  async run(lab, arg) {
    const entry = await resolveRun(lab, arg, { placeHolder: 'Run to open', none: 'There are no runs yet.' });
    if (entry) await lab.dashboards.open(entry.record.id);
  },
};

export const compareRunsCommand: Command = {
  id: 'classifierLab.compareRuns',
  async run(lab, arg, selection) {
    // From the view's title bar there is no argument: use the runs selected in the view.
    let entries = givenRuns(lab, arg, arg === undefined ? lab.treeView.selection : selection).filter(isRecorded);
    if (entries.length < 2) {
      entries = await pickRuns(lab, { filter: recorded(), placeHolder: 'Runs to compare (pick two or more)', none: 'There are no runs yet.' });
      if (entries.length === 1) void vscode.window.showInformationMessage('Pick at least two runs to compare.');
    }
    if (entries.length >= 2) await lab.dashboards.compare(entries.map((e) => e.record.id));
  },
};
