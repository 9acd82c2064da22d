// The base of every Classifier Lab webview panel (a run's dashboard, a comparison, a Classify Image
// result), and the set of open panels of one kind. The base owns the page in the strict-CSP shell, the
// `ready` handshake (a page answers every load with it, and the panel then sends what the page shows),
// a post that only reaches a page that listens, one send for a burst of changes, validated messages in,
// and disposal in reverse order.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { describeRaw } from '../../core/guards';
import { webviewPageHtml } from './webviewPage';

/** Invalid messages logged per panel; a page that keeps sending them is not allowed to flood the log. */
const MAX_LOGGED_INVALID_MESSAGES = 20;

export interface PanelPage {
  /** The page's bundle and stylesheet, relative to the extension, e.g. `dist/webview.js`, `media/dashboard.css`. */
  script: string;
  style: string;
  title: string;
  /** Shown until the app has rendered. */
  loadingText: string;
  /** data-* attributes of <body> that tell the app what to show. */
  data?: Record<string, string>;
  /** Folders the page may load files from besides the extension's dist/ and media/ (datasets, picked images). */
  resourceRoots?: readonly vscode.Uri[];
  /** The tab's icon: `media/<icon>-light.svg` and `-dark.svg`. */
  icon?: string;
}

/** Every page's first message. */
type Ready = { type: 'ready' };

export abstract class WebviewPanel<ToView, FromView extends { type: string }> implements vscode.Disposable {
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  protected readonly disposables: vscode.Disposable[] = [];
  private pageReady = false;
  private disposed = false;
  private sendTimer?: NodeJS.Timeout;
  private invalidMessages = 0;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly extensionUri: vscode.Uri,
    private readonly parse: (raw: unknown) => FromView | undefined,
    /** Where refused messages are logged (the Classifier Lab output channel). */
    private readonly messageLog?: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      // Without retainContextWhenHidden a hidden panel's page is gone; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (panel.visible || !this.pageReady) return;
        this.pageReady = false;
        this.onPageHidden();
      }),
    );
  }

  /** True while a page listens: from its `ready` until it is hidden or reloaded. */
  protected get isPageReady(): boolean {
    return this.pageReady;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** (Re)loads the page; it answers with `ready`. */
  protected load(page: PanelPage): void {
    const asset = (path: string) => vscode.Uri.joinPath(this.extensionUri, ...path.split('/'));
    this.panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [asset('dist'), asset('media'), ...(page.resourceRoots ?? [])],
    };
    if (page.icon) this.panel.iconPath = { light: asset(`media/${page.icon}-light.svg`), dark: asset(`media/${page.icon}-dark.svg`) };
    this.pageReady = false;
    this.panel.webview.html = webviewPageHtml(this.panel.webview, { ...page, script: asset(page.script), style: asset(page.style) });
  }

  /** Sends a message to the page; dropped while no page listens (its `ready` brings everything anew). */
  protected post(message: ToView): void {
    if (this.pageReady && !this.disposed) void this.panel.webview.postMessage(message);
  }

  /**
   * Calls `send` once, `delayMs` after the first of a burst of changes (a training run rewrites run.json
   * every epoch); nothing while no page listens (its `ready` brings everything anew).
   */
  protected sendSoon(send: () => void, delayMs: number): void {
    if (!this.pageReady || this.sendTimer) return;
    this.sendTimer = setTimeout(() => {
      this.sendTimer = undefined;
      send();
    }, delayMs);
  }

  /** The page (re)loaded and listens: send it what it shows. */
  protected abstract onReady(): Promise<void> | void;

  /** A validated message from the page other than `ready`. */
  protected abstract onMessage(message: Exclude<FromView, Ready>): Promise<void> | void;

  /** The page was unloaded (its tab is hidden). */
  protected onPageHidden(): void {
    // Nothing to do unless the panel follows something while it is shown.
  }

  private receive(raw: unknown): void {
    if (this.disposed) return;
    let message: FromView | undefined;
    try {
      message = this.parse(raw);
    } catch {
      message = undefined; // a parser must not throw; if one does, the message is refused like any other
    }
    if (message === undefined) {
      // Refused: the page runs scripts, so what it sends is untrusted. Logged, never acted on.
      this.invalidMessages += 1;
      if (this.invalidMessages <= MAX_LOGGED_INVALID_MESSAGES) {
        this.messageLog?.warn(`Ignored an invalid message from the page "${this.panel.title}": ${describeRaw(raw)}`);
        if (this.invalidMessages === MAX_LOGGED_INVALID_MESSAGES) this.messageLog?.warn(`Further invalid messages from the page "${this.panel.title}" are ignored without a log line.`);
      }
      return;
    }
    let handled: Promise<void> | void;
    try {
      handled = message.type === 'ready' ? (this.pageReady = true, this.onReady()) : this.onMessage(message as Exclude<FromView, Ready>);
    } catch (error) {
      handled = Promise.reject(error);
    }
    // A handler that fails tells the user (handlers that can fail expectedly say so themselves).
    void Promise.resolve(handled).catch((error: unknown) => {
      if (this.disposed) return;
      this.messageLog?.error(`The page "${this.panel.title}" asked for ${message.type}, which failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(errorMessage(error));
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.sendTimer);
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

/** The open panels of one kind by key (a run id, a set of run ids): one tab per key, forgotten when closed. */
export class OpenPanels<P extends { readonly onDidDispose: vscode.Event<void>; reveal(): void; dispose(): void }> implements vscode.Disposable {
  private readonly panels = new Map<string, P>();
  private nextKey = 0;

  has(key: string): boolean {
    return this.panels.has(key);
  }

  get(key: string): P | undefined {
    return this.panels.get(key);
  }

  /** Reveals the panel open for `key`; false when there is none. */
  reveal(key: string): boolean {
    const panel = this.panels.get(key);
    panel?.reveal();
    return panel !== undefined;
  }

  /** Keeps `panel` under `key` (a fresh key when none is given) until it is disposed. */
  add(panel: P, key = `#${this.nextKey++}`): P {
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()].reverse()) panel.dispose();
    this.panels.clear();
  }
}
