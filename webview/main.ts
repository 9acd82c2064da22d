// The dashboard webview's entry: builds the run dashboard or the comparison named by the page,
// says `ready`, and hands every message from the extension to it.
import type { ExtensionToWebview } from '../src/protocol/webview';
import { CompareApp } from './compareApp';
import { DashboardApp } from './dashboardApp';
import './elements';
import { postToExtension } from './vscodeApi';

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  let runIds: string[] = [];
  try {
    const parsed: unknown = JSON.parse(document.body.dataset.runIds ?? '[]');
    if (Array.isArray(parsed)) runIds = parsed.filter((id): id is string => typeof id === 'string');
  } catch {
    runIds = [];
  }
  const app = document.body.dataset.view === 'compare' ? new CompareApp(root, runIds) : new DashboardApp(root, runIds);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    // Messages come from the extension through VS Code; anything else on the channel is ignored.
    if (typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string') {
      app.handle(message as ExtensionToWebview);
    }
  });
  postToExtension({ type: 'ready' });
}

start();
