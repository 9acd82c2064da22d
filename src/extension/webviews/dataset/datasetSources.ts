// Every source a dataset report names (image files, folders, `file#index` examples inside binary files),
// as the dataset tab shows it: a short name, a URI for image files inside the dataset folder, and what the
// page may do with it. The page's requests are checked against this table. No VS Code API here.
import { relative, isAbsolute, sep } from 'node:path';
import { shortName } from '../../../core/datasetDoctor/findingText';
import { parseExampleSource } from '../../../core/inspect/examplePixels';
import type { EncodedDatasetReport, SourceView } from '../../../protocol/datasetView';

/** True when `path` is `root` itself or inside it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The table of sources: `imageUri` turns an image file inside the dataset folder into a URI the page may
 * load. Folders (class folders, ignored folders) open in the Explorer; `file#index` examples of binary
 * datasets have neither URI nor file to open. Only images of a folder dataset that sit in a class folder
 * are movable.
 */
export function datasetSources(report: EncodedDatasetReport, imageUri: (path: string) => string): Record<string, SourceView> {
  const sources: Record<string, SourceView> = {};
  const binary = report.format !== 'folder';
  const add = (source: string, kind: 'image' | 'file' | 'folder'): void => {
    const known = sources[source];
    const inside = isInside(report.root, source);
    const example = binary && parseExampleSource(source) !== undefined;
    const movable = kind === 'image' && !binary && inside;
    if (known) {
      known.movable ||= movable;
      return;
    }
    sources[source] = {
      name: shortName(report.root, source),
      ...(kind !== 'folder' && !example && inside ? { uri: imageUri(source) } : {}),
      openable: !example,
      movable,
    };
  };
  for (const finding of report.findings) {
    switch (finding.kind) {
      case 'duplicate':
      case 'nearDuplicate':
      case 'crossClassDuplicate':
      case 'trainTestLeak':
        for (const image of finding.images) add(image.source, 'image');
        break;
      case 'likelyMislabelled':
        add(finding.image.source, 'image');
        break;
      case 'imbalance':
        for (const file of finding.files) add(file, 'folder');
        break;
      case 'odd':
        if (finding.image) add(finding.image.source, 'image');
        for (const file of finding.files) add(file, finding.problem === 'ignoredFolder' ? 'folder' : 'file');
        break;
      case 'unreadable':
        for (const file of finding.files) add(file, 'file');
        break;
    }
  }
  for (const cls of report.classes) for (const sample of cls.samples) add(sample.source, 'image');
  return sources;
}
