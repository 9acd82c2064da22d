// Errors as the user sees them: a notification with what to do next (Show Log, Open Settings), and
// the details in the log channel. Nothing fails silently.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import { openSettings } from './settings';

export type ErrorAction = 'showLog' | 'openSettings' | { title: string; run(): unknown };

export class UserErrors {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Logs `error` (with its stack) and shows `message` with the actions as buttons. */
  show(message: string, error?: unknown, actions: readonly ErrorAction[] = ['showLog']): void {
    if (error instanceof Error && error.stack) this.log.error(`${message}\n${error.stack}`);
    else this.log.error(message);
    const titles = actions.map((action) => (action === 'showLog' ? 'Show Log' : action === 'openSettings' ? 'Open Settings' : action.title));
    void vscode.window.showErrorMessage(message, ...titles).then((picked) => {
      const action = actions[titles.indexOf(picked ?? '')];
      if (action === 'showLog') this.log.show(true);
      else if (action === 'openSettings') void openSettings();
      else if (action) void action.run();
    });
  }

  /** Runs a command body, turning a thrown error into a notification instead of a silent rejection. */
  async guard(what: string, body: () => Promise<unknown> | unknown): Promise<void> {
    try {
      await body();
    } catch (error) {
      this.show(`${what}: ${errorMessage(error)}`, error);
    }
  }
}
