// Entry of the "Classify Image" result webview: registers the UI components, and hands the app every
// message from its panel.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ToClassifyView } from '../../src/protocol/classifyView';
import { listenToHost } from '../shared/hostChannel';
import './classify.css';
import { ClassifyApp } from './classifyApp';

const root = document.getElementById('app');
if (root) {
  const app = new ClassifyApp(root);
  listenToHost<ToClassifyView>((message) => app.receive(message));
}
