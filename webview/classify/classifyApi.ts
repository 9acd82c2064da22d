// The result webview's side of its message channel, and the state VS Code keeps for it across reloads.
import type { FromClassifyView } from '../../src/protocol/classifyView';

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToExtension(message: FromClassifyView): void {
  api.postMessage(message);
}

/** Kept by VS Code for the panel serializer: what to classify again after a window reload. */
export function saveRestoreState(state: { targets: string[]; runDir: string }): void {
  api.setState(state);
}
