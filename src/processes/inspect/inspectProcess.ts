// The dataset process: forked by the extension host for the dataset tab and the augmentation preview,
// so the engine (and TensorFlow.js, which ranks likely mislabelled images) never runs in the editor. It
// inspects datasets with progress and cancellation, and previews training's augmentation.
import { inspectDataset } from '../../core/datasetDoctor/inspectDataset';
import type { InspectProgress } from '../../core/datasetDoctor/datasetReport';
import { errorMessage } from '../../core/errorMessage';
import type { FromInspect, ToInspect } from '../../protocol/inspect';
import { logError, receiveFromHost, sendToHost } from '../parentChannel';
import { reportLibvipsBuild } from '../reportLibvipsBuild';
import { encodeReport } from './inspectEncoding';
import { parseToInspect } from './inspectMessages';
import { PreviewSession } from './previewSession';

/** Progress is sent at most this often per inspection. */
const PROGRESS_MS = 100;

const send = (message: FromInspect) => sendToHost(message);
reportLibvipsBuild();
const running = new Map<number, AbortController>();
const previews = new PreviewSession((message) => process.stderr.write(`warning: ${message}\n`));

async function inspect(message: Extract<ToInspect, { type: 'inspect' }>, signal: AbortSignal): Promise<void> {
  const { id, request } = message;
  let last = 0;
  const onProgress = (progress: InspectProgress): void => {
    const now = Date.now();
    if (now - last < PROGRESS_MS && progress.done < progress.total) return;
    last = now;
    void send({ type: 'progress', id, progress });
  };
  const report = await inspectDataset({
    path: request.path, format: request.format, cifar100Labels: request.cifar100Labels, runDir: request.runDir, backend: request.backend,
    signal, onProgress,
  });
  await send({ type: 'report', id, report: encodeReport(report) });
}

async function preview(message: Extract<ToInspect, { type: 'preview' }>, signal: AbortSignal): Promise<void> {
  await send({ type: 'preview', id: message.id, preview: await previews.preview(message.request, signal) });
}

function start(message: Exclude<ToInspect, { type: 'cancel' }>): void {
  const controller = new AbortController();
  running.set(message.id, controller);
  const work = message.type === 'inspect' ? inspect(message, controller.signal) : preview(message, controller.signal);
  work.catch(async (error: unknown) => {
    const cancelled = controller.signal.aborted;
    if (!cancelled && !(error instanceof Error && error.name === 'DatasetError')) logError(error);
    await send({ type: 'failed', id: message.id, message: cancelled ? 'Cancelled.' : errorMessage(error), cancelled });
  }).finally(() => running.delete(message.id));
}

receiveFromHost(parseToInspect, (message) => {
  if (message.type === 'cancel') running.get(message.id)?.abort();
  else start(message);
}, (raw, description) => {
  // Answered, so a caller waiting on that request learns why nothing else will come.
  const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : -1;
  void send({ type: 'failed', id, message: description, cancelled: false });
});

// The extension host went away or let this process go: nothing to finish.
process.on('disconnect', () => {
  for (const controller of running.values()) controller.abort();
  process.exit(0);
});
