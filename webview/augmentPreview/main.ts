// Entry of the augmentation preview's webview: registers the UI components, and hands the app every message from its panel.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ToAugmentPreviewView } from '../../src/protocol/augmentPreviewView';
import { listenToHost } from '../shared/hostChannel';
import './augmentPreview.css';
import { PreviewApp } from './previewApp';

const root = document.getElementById('app');
if (root) {
  const app = new PreviewApp(root);
  listenToHost<ToAugmentPreviewView>((message) => app.receive(message));
}
