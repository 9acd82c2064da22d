// `train`/`resume --executor slurm` and `follow`: submit a run as a Slurm job, then follow it, printing
// the same events as a local run, and exit with the run's exit code.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { followSlurmRun, type FollowedSlurmRun } from '../core/cluster/followSlurmRun';
import { SlurmClient } from '../core/cluster/slurmClient';
import { describeJobState, type SlurmJobState } from '../core/cluster/slurmJobState';
import { submitSlurmRun, type SlurmRunRequest, type SubmittedSlurmRun } from '../core/cluster/submitSlurmRun';
import type { BackendPreference } from '../core/backend/selectBackend';
import type { RunOutcome } from '../core/runTraining';
import { openRunFolder } from '../core/runs/openRunFolder';
import type { RecordedEvent } from '../core/runs/recordedEvent';
import { RunStore } from '../core/runs/runStore';
import type { ThreadsRequest } from '../core/train/trainingThreads';
import type { TrainingEvent } from '../core/train/trainingEvents';
import type { TrainCommand } from './parseTrainArgs';
import { runExitCode } from './runExitCode';
import type { ExecutorFlags } from './slurmFlags';
import { UsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

/** How training output is printed (the same printer a local run uses). */
export interface TrainingOutput {
  onEvent(event: TrainingEvent | RecordedEvent): void;
  finish(outcome: RunOutcome): void;
}

/** How a job starts this very CLI: the same node, its flags and script. */
function thisCli(): string[] {
  return [process.execPath, ...process.execArgv, resolve(process.argv[1])];
}

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function printJobState(state: SlurmJobState, json: boolean): void {
  if (json) {
    printJson({
      type: 'jobState', jobId: state.jobId, state: state.phase, slurmState: state.slurmState,
      ...(state.reason ? { reason: state.reason } : {}), ...(state.nodes ? { nodes: state.nodes } : {}),
    });
  } else {
    process.stderr.write(`${describeJobState(state)}\n`);
  }
}

/** The thread count a job asks for: --cpus-per-task, else a numeric --threads, else 1. */
function withThreads(flags: ExecutorFlags, threads: ThreadsRequest): ExecutorFlags['slurm'] {
  const cpus = flags.slurm.cpusPerTask;
  if (typeof threads === 'number' && cpus !== undefined && cpus !== threads) {
    throw new UsageError(`--threads ${threads} and --cpus-per-task ${cpus} disagree: on Slurm the trainer uses one thread per CPU; give --cpus-per-task alone.`);
  }
  return { ...flags.slurm, cpusPerTask: cpus ?? (typeof threads === 'number' ? threads : undefined) };
}

interface SubmitRequest {
  runsDir: string;
  run: SlurmRunRequest;
  backend: BackendPreference;
  threads: ThreadsRequest;
  json: boolean;
}

/**
 * Follows a submitted run until its job ends. With `cancelOnInterrupt`, Ctrl+C (or SIGTERM) cancels the
 * job and keeps following until Slurm has ended it; otherwise it only stops following.
 */
async function follow(
  store: RunStore, runId: string, metricsOffset: number, output: TrainingOutput, json: boolean,
  { cancelOnInterrupt, cancelNow = false }: { cancelOnInterrupt: boolean; cancelNow?: boolean },
): Promise<number> {
  const client = new SlurmClient();
  const stopFollowing = new AbortController();
  const jobId = (await store.read(runId)).slurm?.jobId ?? '?';
  let cancelling = false;
  const onSignal = () => {
    if (cancelling || !cancelOnInterrupt) {
      if (!cancelOnInterrupt) process.stderr.write(`\nStopped following; Slurm job ${jobId} goes on. Cancel it with: scancel ${jobId}\n`);
      stopFollowing.abort();
      return;
    }
    cancelling = true;
    process.stderr.write(`\nCancelling Slurm job ${jobId} (Ctrl+C again to stop following at once)...\n`);
    client.cancel(jobId).catch((error: unknown) => process.stderr.write(`error: ${errorMessage(error)}\n`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (cancelNow) onSignal();
  let followed: FollowedSlurmRun;
  try {
    followed = await followSlurmRun({
      store, runId, client, metricsOffset, signal: stopFollowing.signal,
      pollMs: 1000, statePollMs: 3000,
      onEvent: (event) => output.onEvent(event),
      onJobState: (state) => printJobState(state, json),
      onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    });
  } catch (error) {
    if (stopFollowing.signal.aborted) return 130;
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  output.finish(followed.outcome);
  return runExitCode(followed.outcome.status);
}

async function submitAndFollow(request: SubmitRequest, flags: ExecutorFlags, output: TrainingOutput): Promise<number> {
  const store = new RunStore(request.runsDir);
  // Ctrl+C during submission must not leave a queued run without its job: submit, then cancel it.
  let interrupted = false;
  const onSignal = () => { interrupted = true; };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let submitted: SubmittedSlurmRun;
  try {
    submitted = await submitSlurmRun({
      store, client: new SlurmClient(), run: request.run, options: withThreads(flags, request.threads),
      backend: request.backend, cliCommand: thisCli(),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const { runDir, jobId } = submitted;
  if (request.json) printJson({ type: 'submitted', runDir, jobId });
  else if (flags.detach && !interrupted) process.stdout.write(`Submitted as Slurm job ${jobId}.\n${runDir}\nFollow it with: classifier-lab follow --run ${runDir}\n`);
  else process.stderr.write(`Submitted as Slurm job ${jobId}: ${runDir}\n`);
  if (flags.detach && !interrupted) return 0;
  return follow(store, submitted.runId, submitted.metricsOffset, output, request.json, { cancelOnInterrupt: true, cancelNow: interrupted });
}

/** `train ... --executor slurm`. */
export function trainOnSlurm(command: TrainCommand, flags: ExecutorFlags, output: TrainingOutput): Promise<number> {
  return submitAndFollow({
    runsDir: command.runsDir, run: { spec: command.spec, name: command.name }, backend: command.backend, threads: command.threads, json: command.json,
  }, flags, output);
}

/** `resume --run DIR --executor slurm`. */
export async function resumeOnSlurm(
  request: { runDir: string; backend: BackendPreference; threads: ThreadsRequest; json: boolean },
  flags: ExecutorFlags,
  output: TrainingOutput,
): Promise<number> {
  const { store, record } = await openRunFolder(request.runDir);
  return submitAndFollow({
    runsDir: store.runsDir, run: { resumeRunId: record.id }, backend: request.backend, threads: request.threads, json: request.json,
  }, flags, output);
}

/** `follow --run DIR [--json]`: follows a submitted run's current job; Ctrl+C stops following only. */
export async function followCommand(args: string[], output: (json: boolean) => TrainingOutput): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { run: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.run) throw new UsageError('follow needs --run RUN_DIR (a run submitted with --executor slurm).');
  const json = values.json === true;
  const { store, record } = await openRunFolder(values.run);
  if (!record.slurm) throw new UsageError(`Run "${record.name}" was not submitted to Slurm: there is no job to follow.`);
  const printer = output(json);
  if (json) printJson({ type: 'submitted', runDir: store.runDir(record.id), jobId: record.slurm.jobId });
  // Replay the current job's events so far (from its runStart; none while the job waits in the queue).
  const sofar = await store.readMetricsFrom(record.id, 0);
  if (record.status !== 'queued') {
    const lastStart = sofar.events.map((event) => event.type).lastIndexOf('runStart');
    for (const event of lastStart >= 0 ? sofar.events.slice(lastStart) : []) printer.onEvent(event);
  }
  return follow(store, record.id, sofar.nextOffset, printer, json, { cancelOnInterrupt: false });
}
