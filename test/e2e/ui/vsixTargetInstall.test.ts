// The package built for this machine's platform (`npm run package -- --target linux-x64`), as a user on
// that platform gets it from the Marketplace: it installs into a fresh code-server as a platform-specific
// extension, and photos are decoded with the native libvips it carries, not the WebAssembly fallback it
// also carries. Which build decoded the photo is read from what the extension tells the user: the
// inference process's line in the Classifier Lab log.
// Set CLASSIFIER_LAB_TARGET_VSIX=path to test an already built linux-x64 package instead of building one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rotatedJpeg, twoBands } from '../../fixtures/photoFixtures';
import { trainShapesRun } from '../../fixtures/trainedRun';
import { useWorkbenchSession } from '../harness/useWorkbench';
import { buildPackage, classifyAndReadLibvipsLine, installedExtensionDir } from './packagedExtension';

const TARGET = 'linux-x64';
const onTarget = `${process.platform}-${process.arch}` === TARGET;

describe(`the ${TARGET} package in a fresh VS Code`, { skip: onTarget ? false : `this machine is ${process.platform}-${process.arch}, not ${TARGET}` }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'classifier-lab-vsix-target-test-'));
  const prebuilt = process.env.CLASSIFIER_LAB_TARGET_VSIX;
  const vsix = prebuilt ?? join(scratch, `classifier-lab-${TARGET}.vsix`);
  const workspace = join(scratch, 'workspace');
  // A portrait photo as a phone stores it: sideways, with an EXIF orientation, so libvips reads it.
  const photo = 'portrait.jpg';

  before(async () => {
    if (prebuilt) assert.ok(existsSync(prebuilt), `CLASSIFIER_LAB_TARGET_VSIX=${prebuilt} does not exist`);
    else buildPackage(vsix, TARGET);
    // A small model to classify with, trained by the engine; the window lists the runs in runs/.
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    await trainShapesRun(workspace, { epochs: 2, name: 'shapes-for-photos' });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'classifierLab.runsFolder': 'runs' }));
    writeFileSync(join(workspace, photo), await rotatedJpeg(twoBands(600, 800, [200, 40, 40], [40, 40, 200])));
  }, { timeout: 300_000 });

  const session = useWorkbenchSession({ workspace, loadExtension: false, installExtensions: [vsix] });

  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  test('installs with the native libvips build for linux-x64 (and no other platform\'s), the WebAssembly one as a fallback; the installed sharp loads the native one', () => {
    const { extensionsDir } = session();
    assert.ok(extensionsDir);
    const dir = installedExtensionDir(extensionsDir);
    const img = join(dir, 'node_modules', '@img');
    assert.deepEqual(readdirSync(img).sort(), ['colour', 'sharp-libvips-linux-x64', 'sharp-linux-x64', 'sharp-wasm32'], 'only this platform\'s native build');
    for (const file of ['sharp-linux-x64/lib/sharp-linux-x64.node', 'sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3', 'sharp-wasm32/lib/sharp-wasm32.node.wasm']) {
      assert.ok(existsSync(join(img, file)), `${file} is not installed`);
    }
    // sharp as the installed extension loads it, from a folder outside this repository.
    const env = { ...process.env };
    delete env.NODE_PATH;
    const probe = spawnSync(process.execPath, ['-e', 'const s = require(process.argv[1]); console.log(JSON.stringify(s.versions))', join(dir, 'node_modules', 'sharp')], { cwd: scratch, env, encoding: 'utf8' });
    assert.equal(probe.status, 0, probe.stderr);
    const versions = JSON.parse(probe.stdout) as Record<string, string | undefined>;
    assert.equal(versions.emscripten, undefined, `the installed sharp loaded the WebAssembly build: ${probe.stdout}`);
    assert.ok(versions.vips, probe.stdout);
  });

  test('Classify Image on a photo: the tab shows the top class, and the log says the native libvips decoded it', { timeout: 180_000 }, async () => {
    const { workbench, userDataDir } = session();
    assert.ok(userDataDir);
    const line = await classifyAndReadLibvipsLine(workbench, userDataDir, photo);
    assert.match(line, /\[inference\] Photos are decoded with libvips \d+\.\d+\.\d+ \(native build for linux-x64, sharp \d+\.\d+\.\d+\)\.$/);
  });
});
