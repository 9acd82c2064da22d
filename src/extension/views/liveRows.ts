// The run rows the Experiments view has handed to VS Code, kept so live progress can redraw them in
// place. A whole-view refresh makes VS Code forget every row until it asks for them again, and a row's
// menu command picked in between comes without its run; redrawing the same row objects avoids that.
import type { RunEntry } from './runEntries';
import { entryId } from './groupRuns';

export interface LiveRow {
  entry: RunEntry;
}

export type ProgressRedraw<Row> = { kind: 'rows'; rows: Row[] } | { kind: 'all' };

export class LiveRows<Row extends LiveRow> {
  private readonly rows = new Map<string, Row>();
  /** The runs' ids, in order, as of the last whole-view refresh. */
  private shown = '';

  /**
   * The row of `entry` at `place` (a group or sweep key, '' at the top): the object handed out before
   * for it, brought up to date, or `make()`'s new one.
   */
  row(place: string, entry: RunEntry, make: () => Row, update: (row: Row) => void): Row {
    const key = `${place}/${entryId(entry)}`;
    const known = this.rows.get(key);
    if (known) {
      known.entry = entry;
      update(known);
      return known;
    }
    const row = make();
    this.rows.set(key, row);
    return row;
  }

  /** The whole view is refreshed now showing `entries`: every row is handed out anew. */
  refreshedAll(entries: readonly RunEntry[]): void {
    this.rows.clear();
    this.shown = entries.map(entryId).join('\n');
  }

  /**
   * What a progress redraw with the runs now, `entries`, must redraw: the rows whose look changed
   * (`look` says what a row shows), updated in place; or the whole view when runs came, went or moved.
   */
  redraw(entries: readonly RunEntry[], look: (entry: RunEntry) => string): ProgressRedraw<Row> {
    if (entries.map(entryId).join('\n') !== this.shown) return { kind: 'all' };
    const current = new Map(entries.map((entry) => [entryId(entry), entry]));
    const changed: Row[] = [];
    for (const row of this.rows.values()) {
      const entry = current.get(entryId(row.entry));
      if (!entry) return { kind: 'all' };
      if (look(entry) === look(row.entry)) continue;
      row.entry = entry;
      changed.push(row);
    }
    return { kind: 'rows', rows: changed };
  }
}
