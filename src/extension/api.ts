// What activate() returns: a small API for tests and other extensions, in terms of runs and run ids.
import type { Diagnosis } from '../core/doctor/diagnosis';
import type { RunSpec } from '../core/runSpec';
import type { TrialRunner } from '../core/sweeps/trialRunner';
import type { SweepRecord } from '../core/sweeps/sweepRecord';
import type { SweepSpec } from '../core/sweeps/sweepSpec';
import type { RunTimings } from './training/trainingRun';
import type { ExperimentRow } from './views/experimentsTree';

export interface ClassifierLabApi {
  /** The absolute runs folder, or undefined when no folder is open. */
  runsDir(): string | undefined;
  /** Queues a run; resolves with its id once the trainer has created its folder (rejects when it never does). */
  startRun(spec: RunSpec, name?: string): Promise<string>;
  /** Queues a resume of a run from its last checkpoint; resolves with the id once the trainer has reopened it. */
  resumeRun(runId: string): Promise<string>;
  /** Stops a run trained (or queued) in this window; resolves when its trainer has exited. False when it is not trained here. */
  stopRun(runId: string): Promise<boolean>;
  /** Resolves once no run is queued or training in this window. */
  whenIdle(): Promise<void>;
  /** The trainer process of a run trained in this window. */
  trainerPid(runId: string): number | undefined;
  /** Ids of the runs training in this window now. */
  trainingRunIds(): string[];
  /** How many runs wait for a free slot. */
  queuedCount(): number;
  /** The Experiments view's rows as it shows them now, top to bottom. */
  experimentRows(): ExperimentRow[];
  /** Re-reads the runs folder now (the view also follows it by itself). */
  refresh(): Promise<void>;
  /** When each stage of a run started in this window happened. */
  timings(runId: string): RunTimings | undefined;
  /** The trial runner a sweep started now gets when its trials do not train here (Slurm jobs, `parallel` at once); undefined when they do. */
  clusterTrialRunner(parallel: number): TrialRunner | undefined;
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
  /** Creates a sweep (a checked spec, `base.data` absolute) and runs it in this window; resolves with its id. */
  startSweep(spec: SweepSpec): Promise<string>;
  /** Stops a sweep this window runs; resolves once it has ended. False when it does not run here. */
  stopSweep(id: string): Promise<boolean>;
  /** Resumes a sweep whose process stopped. */
  resumeSweep(id: string): Promise<void>;
  /** Resolves once no sweep runs in this window. */
  whenSweepsIdle(): Promise<void>;
  /** The sweep as its sweep.json says now (undefined when there is none). */
  readSweep(id: string): Promise<SweepRecord | undefined>;
  /** The training doctor's findings on a run, once it has diagnosed it. */
  doctorFindings(runId: string): readonly Diagnosis[] | undefined;
  /** The file the Classifier Lab output channel writes to (what Show Log shows). */
  logFile(): string;
}
