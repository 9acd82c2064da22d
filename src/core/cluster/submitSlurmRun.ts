// Submits a run to Slurm: a new run is created queued in the shared runs folder (so viewers list it at
// once), or an interrupted one is made queued again; then its job script is written and passed to
// sbatch, and the job id is recorded in run.json.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { BackendPreference } from '../backend/selectBackend';
import type { RunSpec } from '../runSpec';
import { validateRunSpec } from '../runSpecDefaults';
import { writeFileAtomic } from '../runs/atomicFile';
import { runPaths } from '../runs/runLayout';
import { isNewerSchema, type RunRecord, type RunSlurmJob } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { RunStoreError } from '../runs/runStoreError';
import { isSlurmRunUnsettled, settleSlurmRun } from './settleSlurmRun';
import type { SlurmClient } from './slurmClient';
import { SlurmError } from './slurmError';
import { SLURM_JOB_SCRIPT_FILE, slurmJobScript } from './slurmJobScript';
import { describeJobState, isJobEnded } from './slurmJobState';
import { validateSlurmOptions, type SlurmOptions } from './slurmOptions';

/** A new run from a spec, or an existing run (by id) to continue from its checkpoint. */
export type SlurmRunRequest = { spec: RunSpec; name?: string } | { resumeRunId: string };

export interface SlurmSubmission {
  store: RunStore;
  run: SlurmRunRequest;
  options: SlurmOptions;
  backend?: BackendPreference;
  /** How the job starts our CLI: node, its flags, the CLI script; absolute paths the compute nodes can reach. */
  cliCommand: readonly string[];
  client: SlurmClient;
  /** How a user picks another runs folder, named when this one cannot take the run. Default `--runs-dir`. */
  runsFolderHint?: string;
}

export interface SubmittedSlurmRun {
  runId: string;
  runDir: string;
  jobId: string;
  /** Absolute path of the job script. */
  script: string;
  /** Size of metrics.jsonl at submission: the job's events start there. */
  metricsOffset: number;
}

function runsFolderError(error: unknown, runsDir: string, hint = '--runs-dir'): unknown {
  if (!(error instanceof RunStoreError)) return error;
  return new SlurmError(
    `The runs folder ${runsDir} cannot take the run: ${error.message.replace(/([^.])$/, '$1.')} A Slurm job writes its run there, so it must be `
    + `writable, on a file system this machine and the compute nodes share (choose another with ${hint}).`,
    'runsFolder', { cause: error },
  );
}

async function writeJobScript(runDir: string, text: string, runsDir: string, hint: string | undefined): Promise<string> {
  const path = join(runDir, SLURM_JOB_SCRIPT_FILE);
  try {
    await writeFileAtomic(path, text);
    await fs.chmod(path, 0o755);
  } catch (error) {
    throw runsFolderError(RunStoreError.fromFileError(error, 'write', path), runsDir, hint);
  }
  return path;
}

async function metricsSize(runDir: string): Promise<number> {
  return fs.stat(runPaths(runDir).metrics).then((stat) => stat.size, () => 0);
}

/** Makes an existing run ready to be trained again by a new job, or says why it cannot be. */
async function prepareResume(submission: SlurmSubmission, runId: string): Promise<RunRecord> {
  const { store, client } = submission;
  let record = await store.read(runId);
  if (isNewerSchema(record)) {
    throw new SlurmError(`Run "${record.name}" was written by a newer Classifier Lab (schema ${record.schemaVersion}); update to resume it.`, 'state');
  }
  if (isSlurmRunUnsettled(record)) {
    const job = await client.jobState(record.slurm.jobId);
    if (job && !isJobEnded(job.phase)) {
      throw new SlurmError(`Run "${record.name}" is still ${describeJobState(job)}: wait for it to end, or cancel it (scancel ${job.jobId}) first.`, 'state');
    }
    record = await settleSlurmRun(store, runId, job);
  }
  if (record.status === 'running' || (record.status === 'queued' && record.process !== undefined)) {
    throw new SlurmError(`Run "${record.name}" is still ${record.status}${record.process ? ` (process ${record.process.pid} on ${record.process.hostname})` : ''}: stop it first.`, 'state');
  }
  const checkpoint = await store.readCheckpointState(runId);
  const neverStarted = record.status === 'queued' && record.startedAt === undefined;
  if (!checkpoint && !neverStarted) {
    throw new SlurmError(`Run "${record.name}" has no checkpoint to resume from: it stopped before finishing its first epoch. Start it again instead.`, 'state');
  }
  if (checkpoint && checkpoint.epoch >= record.spec.training.epochs) {
    throw new SlurmError(`Run "${record.name}" already finished all ${record.spec.training.epochs} epochs.`, 'state');
  }
  return record;
}

/**
 * Submits `submission.run` as one Slurm job and returns where it is. Before sbatch the run is queued and
 * owned by no process (the job's trainer takes it over); when Slurm refuses the job, a new run's folder is
 * removed and a resumed run is put back as it was, and the SlurmError carries sbatch's message.
 */
export async function submitSlurmRun(submission: SlurmSubmission): Promise<SubmittedSlurmRun> {
  const { store, client, options } = submission;
  validateSlurmOptions(options);
  await client.checkInstalled();

  let record: RunRecord;
  let undo: () => Promise<void>;
  if ('resumeRunId' in submission.run) {
    record = await prepareResume(submission, submission.run.resumeRunId);
    const id = record.id;
    // Fields a new job resets, put back as they were if Slurm refuses it.
    const reset = ['status', 'process', 'endedAt', 'error', 'slurm'] as const;
    let before: Record<string, unknown> = {};
    await store.editRecord(id, (raw) => {
      before = structuredClone(raw);
      raw.status = 'queued';
      for (const key of reset) if (key !== 'status') delete raw[key];
    }).catch((error: unknown) => { throw runsFolderError(error, store.runsDir, submission.runsFolderHint); });
    undo = async () => {
      await store.editRecord(id, (raw) => {
        for (const key of reset) {
          if (before[key] === undefined) delete raw[key];
          else raw[key] = before[key];
        }
      });
    };
  } else {
    validateRunSpec(submission.run.spec);
    const writer = await store.create({ spec: submission.run.spec, name: submission.run.name })
      .catch((error: unknown) => { throw runsFolderError(error, store.runsDir, submission.runsFolderHint); });
    await writer.close();
    const id = writer.id;
    undo = () => store.delete(id, { force: true });
    try {
      // The job's trainer owns the run once it starts; until then no process does.
      record = await store.editRecord(id, (raw) => { delete raw.process; });
    } catch (error) {
      await undo().catch(() => undefined);
      throw runsFolderError(error, store.runsDir, submission.runsFolderHint);
    }
  }

  const runDir = store.runDir(record.id);
  // The previous job's script stays if this job never starts.
  const previousScript = await fs.readFile(join(runDir, SLURM_JOB_SCRIPT_FILE), 'utf8').catch(() => undefined);
  const undoAll = async () => {
    if (previousScript !== undefined) await writeFileAtomic(join(runDir, SLURM_JOB_SCRIPT_FILE), previousScript).catch(() => undefined);
    await undo().catch(() => undefined);
  };
  let jobId: string;
  let script: string;
  let metricsOffset: number;
  try {
    const text = slurmJobScript({ runDir, runName: record.name, options, cliCommand: submission.cliCommand, backend: submission.backend });
    script = await writeJobScript(runDir, text, store.runsDir, submission.runsFolderHint);
    metricsOffset = await metricsSize(runDir);
    jobId = await client.submit(script);
  } catch (error) {
    await undoAll();
    throw error;
  }
  const previous = record.slurm;
  const job: RunSlurmJob = {
    jobId,
    submittedAt: new Date().toISOString(),
    script: SLURM_JOB_SCRIPT_FILE,
    ...(previous ? { previousJobIds: [...(previous.previousJobIds ?? []), previous.jobId] } : {}),
  };
  try {
    // The job may already be training: only the slurm field is written, and its trainer keeps it.
    await store.editRecord(record.id, (raw) => { raw.slurm = job; });
  } catch (error) {
    // A job the run does not name could never be followed or stopped from the run: take it back.
    await client.cancel(jobId).catch(() => undefined);
    await undoAll();
    throw runsFolderError(error, store.runsDir, submission.runsFolderHint);
  }
  return { runId: record.id, runDir, jobId, script, metricsOffset };
}
