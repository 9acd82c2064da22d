// The VS Code entry point: wires the extension's commands and views into the editor on activation.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Registrations are added here, each pushed onto context.subscriptions.
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
