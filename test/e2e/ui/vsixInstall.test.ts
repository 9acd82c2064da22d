// The extension as a user gets it: `npm run package` builds the .vsix, a fresh code-server installs it
// (no extension development path, and an extensions folder outside this repository, so nothing can
// fall back on the repository's node_modules or sources), and the workbench shows and runs it.
// It carries libvips' WebAssembly build and no native one: a photo is decoded with that, as the extension's
// log tells. (vsixTargetInstall.test.ts tests a platform's package, which carries the native build.)
// Set CLASSIFIER_LAB_VSIX=path to test an already built package instead of building one.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { noAugmentation } from '../../../src/core/data/augment';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import type { RunSpec } from '../../../src/core/runSpec';
import type { FromTrainer, ToTrainer } from '../../../src/protocol/trainer';
import { repoRoot } from '../harness/e2ePaths';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbenchSession } from '../harness/useWorkbench';
import { rotatedJpeg, twoBands } from '../../fixtures/photoFixtures';
import { buildPackage, classifyAndReadLibvipsLine, installedExtensionDir } from './packagedExtension';

interface ContributedCommand { command: string; title: string; category?: string }
interface Manifest {
  publisher: string;
  name: string;
  version: string;
  displayName: string;
  main: string;
  contributes?: {
    commands?: ContributedCommand[];
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const NEW_TRAINING_RUN = 'New Training Run';

function paletteTitle(command: ContributedCommand): string {
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

describe('the packaged .vsix in a fresh VS Code', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'classifier-lab-vsix-test-'));
  const prebuilt = process.env.CLASSIFIER_LAB_VSIX;
  const vsix = prebuilt ?? join(scratch, 'classifier-lab.vsix');
  // A workspace of its own: the runs this file starts stay out of the folder other UI tests share.
  const workspace = join(scratch, 'sample-workspace');
  // A portrait photo as a phone stores it: sideways, with an EXIF orientation, so libvips reads it.
  const photo = 'portrait.jpg';

  before(async () => {
    prepareTestWorkspace(workspace);
    writeFileSync(join(workspace, photo), await rotatedJpeg(twoBands(600, 800, [200, 40, 40], [40, 40, 200])));
    if (prebuilt) assert.ok(existsSync(prebuilt), `CLASSIFIER_LAB_VSIX=${prebuilt} does not exist`);
    else buildPackage(vsix);
  }, { timeout: 300_000 });

  const session = useWorkbenchSession({ workspace, loadExtension: false, installExtensions: [vsix] });

  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const installedDir = (): string => {
    const { extensionsDir } = session();
    assert.ok(extensionsDir);
    return installedExtensionDir(extensionsDir);
  };
  const installedManifest = (): Manifest => JSON.parse(readFileSync(join(installedDir(), 'package.json'), 'utf8')) as Manifest;

  test('installs with its bundles, TensorFlow.js and the wasm binaries, all found inside the install folder', () => {
    const dir = installedDir();
    for (const file of [manifest.main, 'dist/trainer.js', 'dist/cli.js', 'dist/decodeWorker.js']) {
      assert.ok(existsSync(join(dir, file)), `${file} is not installed`);
    }
    assert.equal(existsSync(join(dir, 'src')), false, 'sources were packaged');
    // What the trainer resolves from where it is installed, not from this repository.
    const requireFromTrainer = createRequire(join(dir, 'dist', 'trainer.js'));
    for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']) {
      const resolved = requireFromTrainer.resolve(name);
      assert.ok(resolved.startsWith(dir + sep), `${name} resolves to ${resolved}, outside the installed extension`);
    }
    const wasmDir = join(dir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
    for (const binary of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      assert.ok(existsSync(join(wasmDir, binary)), `${binary} is not installed`);
    }
    // libvips: the WebAssembly build only; no platform's native build.
    assert.deepEqual(readdirSync(join(dir, 'node_modules', '@img')).sort(), ['colour', 'sharp-wasm32']);
  });

  test('is listed among the installed extensions', async () => {
    const { workbench, page } = session();
    await workbench.runCommand('View: Show Extensions');
    const item = page.locator('.extensions-viewlet .extension-list-item .name', { hasText: manifest.displayName });
    await item.first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  test('the installed trainer trains one epoch on the sample images (wasm backend)', { timeout: 180_000 }, async () => {
    const runsDir = join(scratch, 'trainer-runs');
    const spec: RunSpec = {
      // A couple of hundred images keep this short; what matters is that training runs at all.
      data: { path: join(workspace, 'data', 'colour-shapes'), format: 'auto', valSplit: 0.2, limit: 250, cifar100Labels: 'fine' },
      model: defaultModelSpec('cnn'),
      training: { ...defaultTrainingSpec(), epochs: 1 },
      augment: noAugmentation(),
    };
    // Run from a folder outside the repository, without NODE_PATH or this runner's tsx loader: only
    // the package's own files count.
    const env = { ...process.env };
    delete env.NODE_PATH;
    const trainer = fork(join(installedDir(), 'dist', 'trainer.js'), [], { cwd: scratch, env, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    trainer.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const messages: FromTrainer[] = [];
    const finished = new Promise<Extract<FromTrainer, { type: 'finished' }>>((resolve, reject) => {
      trainer.on('message', (message: FromTrainer) => {
        messages.push(message);
        if (message.type === 'finished') resolve(message);
      });
      trainer.once('exit', (code, signal) => reject(new Error(`the trainer exited (${code ?? signal}) before it finished:\n${stderr.slice(-2000)}`)));
    });
    try {
      const start: ToTrainer = { type: 'start', runsDir, spec, backend: 'wasm' };
      trainer.send(start);
      const outcome = await finished;
      assert.equal(outcome.status, 'completed', `the run ended ${outcome.status}: ${outcome.error ?? ''}\n${stderr.slice(-2000)}`);
      const epochEnds = messages.filter((m) => m.type === 'event' && m.event.type === 'epochEnd');
      assert.equal(epochEnds.length, 1, 'one epochEnd event for one epoch');
      assert.ok(outcome.runId && existsSync(join(runsDir, outcome.runId, 'run.json')), 'the run folder has its run.json');
    } finally {
      trainer.kill('SIGKILL');
    }
  });

  test('shows its view container in the activity bar', async () => {
    const containers = installedManifest().contributes?.viewsContainers?.activitybar ?? [];
    assert.ok(containers.length > 0, 'the package contributes an activity-bar view container');
    const { page } = session();
    for (const container of containers) {
      const icon = page.locator(`.part.activitybar .action-item a[aria-label^="${container.title}"], .part.activitybar .action-item [aria-label^="${container.title}"]`);
      await icon.first().waitFor({ state: 'visible', timeout: 30_000 });
    }
  });

  test('its commands are in the command palette', async () => {
    const contributed = installedManifest().contributes;
    // Commands hidden from the palette on purpose (`when` clauses) are not looked for.
    const hidden = new Set((contributed?.menus?.commandPalette ?? []).filter((entry) => entry.when).map((entry) => entry.command));
    const commands = (contributed?.commands ?? []).filter((command) => !hidden.has(command.command));
    assert.ok(commands.length > 0, 'the package contributes palette commands');
    const { workbench } = session();
    for (const command of commands) {
      const title = paletteTitle(command);
      const input = await workbench.openPalette();
      await input.fill(`>${title}`);
      const row = workbench.quickInput.locator('.monaco-list-row .label-name', { hasText: title });
      try {
        await row.first().waitFor({ state: 'visible', timeout: 20_000 });
      } finally {
        await workbench.page.keyboard.press('Escape');
      }
    }
  });

  test(`${NEW_TRAINING_RUN} trains the sample colour shapes for one epoch, from the installed extension`, { timeout: 240_000 }, async () => {
    const command = installedManifest().contributes?.commands?.find((c) => c.title === NEW_TRAINING_RUN);
    assert.ok(command, `the package contributes "${NEW_TRAINING_RUN}"`);
    const { workbench, page } = session();
    const widget = workbench.quickInput;
    // The wizard's steps show "N/10" in the widget; each wait makes sure the previous answer was taken.
    const atStep = async (step: number): Promise<void> => {
      await widget.filter({ hasText: new RegExp(`\\b${step}/\\d+\\b`) }).waitFor({ state: 'visible', timeout: 30_000 });
    };
    await workbench.runCommand(paletteTitle(command));
    // Step 1 lists the workspace's datasets once it has looked at the disk.
    const dataset = widget.locator('.monaco-list-row', { hasText: 'colour-shapes' }).first();
    await dataset.waitFor({ state: 'visible', timeout: 30_000 });
    await dataset.click();
    await atStep(2); // model: the CNN is the default
    await page.keyboard.press('Enter');
    await atStep(3); // the model's options: the first item goes on with them
    await page.keyboard.press('Enter');
    await atStep(4); // epochs
    await widget.locator('input.input').fill('1');
    await page.keyboard.press('Enter');
    // batch size, learning rate, optimiser, loss, augmentation: defaults; the recipe step's first item starts
    for (const step of [5, 6, 7, 8, 9, 10]) {
      await atStep(step);
      await page.keyboard.press('Enter');
    }
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });

    // The installed extension forks its installed trainer: the run folder it writes must end completed.
    const runsDir = join(workspace, '.classifier-lab', 'runs');
    const deadline = Date.now() + 180_000;
    let runs: { status?: string; spec?: { training?: { epochs?: number } } }[] = [];
    const errorToast = page.locator('.notifications-toasts .notification-toast', { has: page.locator('.codicon-error') });
    while (Date.now() < deadline) {
      if (await errorToast.count() > 0) {
        assert.fail(`the extension reported an error: ${(await errorToast.first().locator('.notification-list-item-message').innerText()).trim()}`);
      }
      runs = existsSync(runsDir)
        ? readdirSync(runsDir).filter((id) => existsSync(join(runsDir, id, 'run.json'))).map((id) => {
          try {
            return JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as (typeof runs)[number];
          } catch {
            return {}; // being rewritten this instant
          }
        })
        : [];
      if (runs.some((run) => run.status === 'completed' || run.status === 'failed')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(runs.length, 1, `runs in ${runsDir}: ${JSON.stringify(runs.map((r) => r.status))}`);
    assert.equal(runs[0].status, 'completed', `the run ended ${runs[0].status ?? 'never'}`);
    assert.equal(runs[0].spec?.training?.epochs, 1);
  });

  // After the run above: the photo is classified with the model it trained.
  test('Classify Image on a photo: the tab shows the top class, and the log says libvips\' WebAssembly build decoded it', { timeout: 180_000 }, async () => {
    const { workbench, userDataDir } = session();
    assert.ok(userDataDir);
    const line = await classifyAndReadLibvipsLine(workbench, userDataDir, photo);
    assert.match(line, /\[inference\] Photos are decoded with libvips \d+\.\d+\.\d+ \(WebAssembly build, sharp \d+\.\d+\.\d+\)\.$/);
  });
});
