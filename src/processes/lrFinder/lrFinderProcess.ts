// The learning-rate finder: a child process forked by the extension host for one range test. It receives
// `start` (and maybe `stop`) over IPC, runs the test on the spec's dataset and model, and streams each
// step's point, then how the test ended. Nothing is written to disk.
import { errorMessage } from '../../core/errorMessage';
import { findLearningRate } from '../../core/findLearningRate';
import { defaultRangeTestOptions } from '../../core/train/learningRateFinder';
import type { FromLrFinder, ToLrFinder } from '../../protocol/lrFinder';
import { logError, sendToHost, serveOneJob } from '../parentChannel';
import { reportLibvipsBuild } from '../reportLibvipsBuild';
import { parseToLrFinder } from './lrFinderMessages';

const send = (message: FromLrFinder) => sendToHost(message);
reportLibvipsBuild();

async function start(message: Extract<ToLrFinder, { type: 'start' }>, signal: AbortSignal): Promise<void> {
  try {
    const bounds = { ...defaultRangeTestOptions(), ...message.rangeTest };
    await send({ type: 'started', minRate: bounds.minRate, maxRate: bounds.maxRate, steps: bounds.steps });
    const finding = await findLearningRate({
      spec: message.spec,
      backend: message.backend,
      rangeTest: message.rangeTest,
      signal,
      onWarning: (warning) => void send({ type: 'warning', message: warning }),
      onPoint: async (point) => {
        await send({ type: 'point', point });
        // The steps themselves never wait for I/O: give the event loop a turn so a `stop` from the host is read.
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    await send({
      type: 'finished',
      result: {
        end: finding.end, suggestedRate: finding.suggestedRate, minimumRate: finding.minimumRate, steps: finding.points.length,
        minRate: finding.options.minRate, maxRate: finding.options.maxRate, trainCount: finding.trainCount, backend: finding.backend,
      },
    });
  } catch (error) {
    if (signal.aborted) {
      // Stopped while the dataset was still loading: nothing was found, nothing failed.
      await send({ type: 'finished', result: { end: 'cancelled', suggestedRate: null, minimumRate: null, steps: 0, minRate: 0, maxRate: 0, trainCount: 0, backend: '' } });
    } else {
      logError(error);
      await send({ type: 'failed', error: errorMessage(error) });
    }
  }
}

serveOneJob(parseToLrFinder, start);

// The extension host went away: there is no one to report to.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
