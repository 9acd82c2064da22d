// Entry of the "Classify Image" result webview: registers the UI components, says `ready`, and
// hands every message from the extension to the app.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ToClassifyView } from '../../src/protocol/classifyView';
import './classify.css';
import { postToExtension } from './classifyApi';
import { ClassifyApp } from './classifyApp';

const root = document.getElementById('app');
if (root) {
  const app = new ClassifyApp(root);
  window.addEventListener('message', (event: MessageEvent<ToClassifyView>) => app.receive(event.data));
  postToExtension({ type: 'ready' });
}
