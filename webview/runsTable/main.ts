// The entry of the runs table bundle: builds the page and hands it every message from its panel.
import type { ToRunsTableView } from '../../src/protocol/runsTableView';
import { listenToHost } from '../shared/hostChannel';
import { RunsTableApp } from './runsTableApp';

const root = document.getElementById('app');
if (root) {
  const app = new RunsTableApp(root);
  listenToHost<ToRunsTableView>((message) => app.handle(message));
}
