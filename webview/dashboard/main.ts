// The entry of the dashboard bundle: builds the run dashboard or the comparison the page names, and hands
// it every message from its panel.
import type { ToCompareView } from '../../src/protocol/compareView';
import type { ToDashboardView } from '../../src/protocol/dashboardView';
import { listenToHost } from '../shared/hostChannel';
import { CompareApp } from './compareApp';
import { DashboardApp } from './dashboardApp';
import './elements';

function runIdsOfPage(): string[] {
  try {
    const parsed: unknown = JSON.parse(document.body.dataset.runIds ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

const root = document.getElementById('app');
if (root) {
  if (document.body.dataset.view === 'compare') {
    const app = new CompareApp(root, runIdsOfPage());
    listenToHost<ToCompareView>((message) => app.handle(message));
  } else {
    const app = new DashboardApp(root, runIdsOfPage());
    listenToHost<ToDashboardView>((message) => app.handle(message));
  }
}
