// The workbench address that opens a folder with the extension under development loaded (and, for
// integration runs, a test suite to run in the extension host). code-server's CLI rejects
// --extensionDevelopmentPath, so these travel in the URL's `payload`, as `vscode-remote://` URIs.
export interface WorkbenchUrlOptions {
  /** Absolute folder path on the server to open. */
  folder: string;
  /** Absolute path of the extension's root folder (the one holding its package.json). */
  extensionDevelopmentPath?: string;
  /** Absolute path of a module exporting `run(): Promise<void>`, run in the extension host. */
  extensionTestsPath?: string;
}

export function workbenchUrl(origin: string, options: WorkbenchUrlOptions): string {
  const authority = new URL(origin).host;
  const remote = (path: string): string => `vscode-remote://${authority}${encodeURI(path)}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = `folder=${encodeURIComponent(options.folder)}`;
  return `${origin}/?${query}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}
