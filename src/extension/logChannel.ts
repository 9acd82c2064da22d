// The "Classifier Lab" output channel: the extension's and the trainers' messages, with log levels.
import * as vscode from 'vscode';

export const LOG_CHANNEL_NAME = 'Classifier Lab';

export function createLogChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
}
