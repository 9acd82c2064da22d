// Entry of the dataset tab's webview: registers the UI components, and hands the app every message from its panel.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ToDatasetView } from '../../src/protocol/datasetView';
import { listenToHost } from '../shared/hostChannel';
import './dataset.css';
import { DatasetApp } from './datasetApp';

const root = document.getElementById('app');
if (root) {
  const app = new DatasetApp(root);
  listenToHost<ToDatasetView>((message) => app.receive(message));
}
