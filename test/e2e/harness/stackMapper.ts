// Rewrites `bundle.js:LINE:COL` positions in stack traces to the TypeScript file and line they came
// from, using the bundle's source map: the extension host replaces Node's stack formatting with its
// own, so stacks from in-host tests arrive in bundle coordinates.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './e2ePaths';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createStackMapper(bundlePath: string): (text: string) => string {
  const mapFile = `${bundlePath}.map`;
  if (!existsSync(mapFile)) return (text) => text;
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  const position = new RegExp(`${escapeRegExp(bundlePath)}:(\\d+):(\\d+)`, 'g');
  return (text) => text.replace(position, (whole, line: string, column: string) => {
    // Stack positions are 1-based; source map entries are 0-based.
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry) || !entry.originalSource) return whole;
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(bundlePath), entry.originalSource);
    return `${relative(repoRoot, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
