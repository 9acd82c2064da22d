// The page's side of its channel to the panel, for every view: typed posts, the state VS Code keeps for
// the page across reloads, and the panel's messages handed to the app once it listens (then `ready`).

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** VS Code hands its API out once per page: acquired on first use (so modules that merely import this load anywhere). */
function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** The channel typed for one view's messages and state. */
export function hostChannel<FromView, State = never>() {
  return {
    post: (message: FromView): void => vscodeApi().postMessage(message),
    /** What the page saved before a reload (or a hidden tab's unload); {} at first. */
    state: (): Partial<State> => {
      const state = vscodeApi().getState();
      return typeof state === 'object' && state !== null ? state as Partial<State> : {};
    },
    /** Kept by VS Code for the page, and for the panel serializer after a window reload. */
    saveState: (state: State): void => vscodeApi().setState(state),
  };
}

/** Hands each message from the panel to `handle` (anything on the channel that is not a message is ignored), then says `ready`. */
export function listenToHost<ToView>(handle: (message: ToView) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string') handle(message as ToView);
  });
  vscodeApi().postMessage({ type: 'ready' });
}
