// Entry of the "Find Learning Rate" webview: registers the UI components, and hands the app every message
// from its panel.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ToLrFinderView } from '../../src/protocol/lrFinderView';
import { listenToHost } from '../shared/hostChannel';
import './lrFinder.css';
import { LrFinderApp } from './lrFinderApp';

const root = document.getElementById('app');
if (root) {
  const app = new LrFinderApp(root);
  listenToHost<ToLrFinderView>((message) => app.receive(message));
}
