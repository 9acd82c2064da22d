// The entry of the sweep bundle: builds the sweep tab's page and hands it every message from its panel.
import type { ToSweepView } from '../../src/protocol/sweepView';
import { listenToHost } from '../shared/hostChannel';
import { SweepApp } from './sweepApp';
import './elements';

const root = document.getElementById('app');
if (root) {
  const app = new SweepApp(root);
  listenToHost<ToSweepView>((message) => app.handle(message));
}
