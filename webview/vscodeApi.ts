// The webview's side of the message channel, and the state VS Code keeps for it across reloads.
import type { WebviewToExtension } from '../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the panel serializer gets back after a reload: the run ids (and which tab was open). */
export interface WebviewState {
  runIds: string[];
  tab?: number;
}

const api = acquireVsCodeApi();

export function postToExtension(message: WebviewToExtension): void {
  api.postMessage(message);
}

export function loadState(): Partial<WebviewState> {
  const state = api.getState();
  return typeof state === 'object' && state !== null ? (state as Partial<WebviewState>) : {};
}

export function saveState(state: WebviewState): void {
  api.setState(state);
}
