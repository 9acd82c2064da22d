// Messages every webview may send its panel, whatever the view: the `ready` handshake (the first message
// of every page load; the panel answers with a snapshot), saving an export, and opening a run's dashboard;
// and comparing runs, for the views that list runs.

/** The page loaded and listens. */
export type ReadyMessage = { type: 'ready' };

export type ExportFormat = 'csv' | 'png' | 'svg';

/** Save a file where the user picks: CSV or SVG text, or a PNG as a `data:image/png;base64,` URL. */
export type ExportMessage = { type: 'export'; format: ExportFormat; fileName: string; content: string };

/** Open the dashboard of a run the view shows. */
export type OpenRunMessage = { type: 'openRun'; runId: string };

/** Compare these runs (two or more) in the comparison tab. */
export type CompareRunsMessage = { type: 'compareRuns'; runIds: string[] };
