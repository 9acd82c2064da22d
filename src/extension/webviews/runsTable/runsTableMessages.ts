// Validates what the runs table's page sends (src/protocol/runsTableView.ts): the page runs scripts, so its
// messages are untrusted input.
import { isRecord, isShortString } from '../../../core/guards';
import type { FromRunsTableView, RunsTableLayout } from '../../../protocol/runsTableView';
import { commonViewParsers, MAX_NAME_CHARS, messageParser, parseCompareRunsMessage } from '../viewMessages';

/** The most columns a layout may name (settings of every model kind fit many times over). */
const MAX_COLUMNS = 1000;

function isKeyList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= MAX_COLUMNS && value.every((key) => isShortString(key, MAX_NAME_CHARS));
}

export function parseRunsTableLayout(raw: unknown): RunsTableLayout | undefined {
  if (!isRecord(raw) || !isKeyList(raw.order) || !isKeyList(raw.hidden)) return undefined;
  const layout: RunsTableLayout = { order: [...new Set(raw.order)], hidden: [...new Set(raw.hidden)] };
  if (raw.sort !== undefined) {
    const sort = raw.sort;
    if (!isRecord(sort) || !isShortString(sort.key, MAX_NAME_CHARS) || (sort.direction !== 'asc' && sort.direction !== 'desc')) return undefined;
    layout.sort = { key: sort.key, direction: sort.direction };
  }
  return layout;
}

export const parseFromRunsTableView = messageParser<FromRunsTableView>({
  ...commonViewParsers,
  compareRuns: parseCompareRunsMessage,
  saveLayout: (raw) => {
    const layout = parseRunsTableLayout(raw.layout);
    return layout ? { type: 'saveLayout', layout } : undefined;
  },
});
