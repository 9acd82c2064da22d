// The Experiments view's title-bar commands: Refresh Runs, Group Runs By..., Open Settings.
import * as vscode from 'vscode';
import { openSettings } from '../settings';
import { GROUP_BY_OPTIONS, type GroupBy } from '../views/groupRuns';
import type { Command } from './command';

export const GROUP_BY_STATE_KEY = 'classifierLab.groupBy';
export const GROUP_BY_CONTEXT_KEY = 'classifierLab.groupBy';

const GROUP_BY_LABELS: Record<GroupBy, string> = { none: 'None (newest first)', dataset: 'Dataset', status: 'Status' };

export const refreshCommand: Command = {
  id: 'classifierLab.refresh',
  run: (lab) => lab.folder.refresh(),
};

export const groupByCommand: Command = {
  id: 'classifierLab.groupBy',
  async run(lab) {
    const current = lab.tree.grouping;
    const picked = await vscode.window.showQuickPick(GROUP_BY_OPTIONS.map((value) => ({
      value, label: GROUP_BY_LABELS[value], description: value === current ? 'current' : undefined,
    })), { placeHolder: 'Group runs by' });
    if (!picked) return;
    lab.tree.setGroupBy(picked.value);
    await lab.context.workspaceState.update(GROUP_BY_STATE_KEY, picked.value);
    await vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT_KEY, picked.value);
  },
};

export const openSettingsCommand: Command = {
  id: 'classifierLab.openSettings',
  run: () => openSettings(),
};
