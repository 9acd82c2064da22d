// A run's files are untrusted: a crafted run names / as its dataset and /etc/passwd or a private key as
// its samples. Its dashboard shows (and opens) only image files inside the run's real dataset folder,
// and that folder only inside the workspace or a folder the user chose; never /, a home folder, or a
// hidden folder of the workspace; no path escapes through .. or a symbolic link.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDatasetInfo } from '../../../../../src/core/runs/runRecord';
import { RunStore } from '../../../../../src/core/runs/runStore';
import type { SampleImage, ToDashboardView } from '../../../../../src/protocol/dashboardView';
import { datasetImagesAccess, isTooBroad, resolveSampleFile, type ImageFolders } from '../../../../../src/extension/webviews/dashboard/datasetImages';
import { RunFollower } from '../../../../../src/extension/webviews/dashboard/runFollower';
import { makeTempDir, removeTempDir } from '../../../../fixtures/tempDir';
import { sampleSpec } from '../../../core/runs/runTestHelpers';

let root: string;
let workspace: string;
let outside: string;
let home: string;
let store: RunStore;

/** A run whose run.json names `datasetRoot` and whose predictions.json names `sources`. */
async function craftedRun(datasetRoot: string, format: RunDatasetInfo['format'], sources: string[]): Promise<string> {
  const writer = await store.create({ spec: sampleSpec(datasetRoot) });
  await writer.start({
    heartbeatIntervalMs: 0,
    dataset: { format, root: datasetRoot, classes: ['a', 'b'], imageShape: [32, 32, 3], trainCount: 10, valCount: sources.length, testCount: 0 },
  });
  await writer.writePredictions({ epoch: 1, classes: ['a', 'b'], items: sources.map((source) => ({ source, label: 0, predicted: 1, confidence: 0.9 })) });
  await writer.finish('completed');
  await writer.close();
  return writer.id;
}

function folders(chosen: string[] = []): ImageFolders {
  return { workspaceFolders: [workspace], chosenFolders: chosen, home };
}

/** What the dashboard would send for the run: its snapshot and every sample image. */
async function follow(runId: string, chosen: string[] = []): Promise<{ messages: ToDashboardView[]; images: SampleImage[]; follower: RunFollower }> {
  const messages: ToDashboardView[] = [];
  const follower = new RunFollower(store, runId, { send: (message) => messages.push(message), imageUri: (path) => `webview:${path}`, imageFolders: () => folders(chosen) });
  await follower.sendSnapshot();
  const snapshot = messages.find((m) => m.type === 'snapshot');
  const count = snapshot?.type === 'snapshot' ? snapshot.snapshot.predictions?.items.length ?? 0 : 0;
  await follower.sendSampleImages(Array.from({ length: count }, (_, i) => i));
  const sent = messages.find((m) => m.type === 'sampleImages');
  return { messages, images: sent?.type === 'sampleImages' ? sent.images : [], follower };
}

before(() => {
  root = realpathSync(makeTempDir('classifier-lab-dataset-images-'));
  workspace = join(root, 'workspace');
  outside = join(root, 'elsewhere');
  home = join(root, 'home');
  for (const dir of [join(workspace, 'data', 'cats'), join(workspace, '.ssh'), join(outside, 'photos'), home]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(workspace, 'data', 'cats', 'a.png'), 'png');
  writeFileSync(join(workspace, 'data', 'cats', 'notes.txt'), 'not an image');
  writeFileSync(join(workspace, 'data', 'cifar.bin'), Buffer.alloc(3073 * 2, 7));
  writeFileSync(join(workspace, '.ssh', 'id_rsa.png'), 'private key');
  writeFileSync(join(outside, 'photos', 'b.png'), 'png');
  writeFileSync(join(outside, 'secret.png'), 'secret');
  writeFileSync(join(outside, 'secret.bin'), Buffer.alloc(3073 * 2, 9));
  // Inside the dataset by name, outside it in fact.
  symlinkSync(join(outside, 'secret.png'), join(workspace, 'data', 'cats', 'link.png'));
  symlinkSync(outside, join(workspace, 'data', 'escape'));
  store = new RunStore(join(workspace, '.classifier-lab', 'runs'));
});

after(() => removeTempDir(root));

describe('which dataset folders a dashboard may show images from', () => {
  test('never the file system root, a home folder, or a folder above one', () => {
    assert.equal(isTooBroad('/', home), true);
    assert.equal(isTooBroad(home, home), true);
    assert.equal(isTooBroad(root, home), true, 'the folder above home');
    assert.equal(isTooBroad(join(home, 'datasets'), home), false);
    assert.equal(isTooBroad(join(workspace, 'data'), home), false);
  });

  test('a run naming / as its dataset sends none of /etc/passwd, as pixels or as a file', async () => {
    const runId = await craftedRun('/', 'cifar10', ['/etc/passwd#0', '/etc/hostname', '/etc/passwd']);
    const { messages, images, follower } = await follow(runId, ['/']);
    const snapshot = messages.find((m) => m.type === 'snapshot');
    assert.ok(snapshot?.type === 'snapshot');
    assert.equal(snapshot.snapshot.sampleImages.shown, false);
    assert.equal(snapshot.snapshot.sampleImages.shown === false && snapshot.snapshot.sampleImages.canAllow, false, 'not even on the user\'s say-so');
    assert.match(snapshot.snapshot.sampleImages.shown === false ? snapshot.snapshot.sampleImages.reason : '', /never shown from the file system root or a home folder/);
    assert.deepEqual(images.map((image) => image.kind), ['missing', 'missing', 'missing']);
    for (let i = 0; i < 3; i++) assert.equal(await follower.sampleFile(i), undefined);
    assert.equal((await datasetImagesAccess({ ...follower.run!, dataset: { ...follower.run!.dataset!, root: home } }, folders([home]))).shown, false, 'nor a home folder, even chosen');
  });

  test('a workspace dataset shows its own images; paths out of it (absolute, .., links, other files) are refused', async () => {
    const data = join(workspace, 'data');
    const runId = await craftedRun(data, 'folder', [
      join(data, 'cats', 'a.png'), '/etc/passwd', join(data, '..', '.ssh', 'id_rsa.png'), join(data, 'cats', 'link.png'),
      join(data, 'escape', 'photos', 'b.png'), join(data, 'cats', 'notes.txt'), 'cats/a.png',
    ]);
    const { images, follower } = await follow(runId);
    assert.deepEqual(images.map((image) => image.kind), ['uri', 'missing', 'missing', 'missing', 'missing', 'missing', 'missing']);
    assert.equal(images[0].kind === 'uri' && images[0].uri, `webview:${join(data, 'cats', 'a.png')}`);
    assert.equal(await follower.sampleFile(0), join(data, 'cats', 'a.png'));
    for (let i = 1; i < 7; i++) assert.equal(await follower.sampleFile(i), undefined, `sample ${i} is opened`);
  });

  test('records inside binary files are read only from files inside the dataset folder', async () => {
    const data = join(workspace, 'data');
    const runId = await craftedRun(data, 'cifar10', [`${join(data, 'cifar.bin')}#1`, `${join(outside, 'secret.bin')}#0`, `${join(data, 'escape', 'secret.bin')}#0`]);
    const { images } = await follow(runId);
    assert.deepEqual(images.map((image) => image.kind), ['pixels', 'missing', 'missing']);
  });

  test('a dataset outside the workspace is shown only once the user chose its folder', async () => {
    const photos = join(outside, 'photos');
    const runId = await craftedRun(photos, 'folder', [join(photos, 'b.png')]);
    const before = await follow(runId);
    const access = before.messages.find((m) => m.type === 'snapshot');
    assert.ok(access?.type === 'snapshot');
    assert.deepEqual(access.snapshot.sampleImages, {
      shown: false, canAllow: true, folder: photos,
      reason: `The dataset folder ${photos} is outside this workspace, and you have not chosen to show images from it.`,
    });
    assert.deepEqual(before.images.map((image) => image.kind), ['missing']);
    const chosen = await follow(runId, [outside]);
    assert.deepEqual(chosen.images.map((image) => image.kind), ['uri']);
  });

  test('a hidden folder of the workspace (a home folder opened as one holds .ssh) is not shown', async () => {
    const hidden = join(workspace, '.ssh');
    const runId = await craftedRun(hidden, 'folder', [join(hidden, 'id_rsa.png')]);
    const { images } = await follow(runId);
    assert.deepEqual(images.map((image) => image.kind), ['missing']);
    assert.equal(await resolveSampleFile(join(hidden, 'id_rsa.png'), join(workspace, 'data')), undefined);
  });
});
