// What the training doctor reports, as plain data for the Problems panel, a dashboard banner and the CLI:
// one diagnosis per finding, with a fix the editor can offer when one exists.
import type { ClassCounts } from '../runs/runRecord';
import type { RecordedEvent } from '../runs/recordedEvent';
import type { RunSpec } from '../runSpec';
import type { RunStatus } from '../train/trainingEvents';
import type { TrainOptionValue } from '../trainOptions';

export type DoctorRuleId =
  | 'lossNotFinite'
  | 'lossDiverged'
  | 'learningRateTooLow'
  | 'learningRateTooHigh'
  | 'overfitting'
  | 'collapsedPredictions'
  | 'plateau'
  | 'classImbalance';

/** error: the run learned nothing useful; warning: it learned, but something costs accuracy; info: worth knowing. */
export type DiagnosisSeverity = 'error' | 'warning' | 'info';

/**
 * Rerun the run with these changes, by train option name (`learningRate`, `patience`, `augment`) or
 * model option (`model.dropout`); `runSpecWithChanges` in trainOptions.ts applies them to the run's spec.
 */
export interface RerunFix {
  kind: 'rerunWith';
  /** The quick fix's title, e.g. `Rerun with learning rate 0.0001`. */
  title: string;
  changes: Record<string, TrainOptionValue>;
}

export type DoctorFix = RerunFix;

export interface Diagnosis {
  rule: DoctorRuleId;
  severity: DiagnosisSeverity;
  /** One or two sentences: what happened, with the numbers, and what to do. */
  message: string;
  /** The epoch the problem shows from, when it has one. */
  epoch?: number;
  fix?: DoctorFix;
  /** Numbers behind the finding, for a banner or a chart (e.g. balancedAccuracy). */
  data?: Record<string, number>;
}

/** A run as the rules see it: its recorded events (metrics.jsonl) and what run.json says about it. */
export interface DoctorInput {
  events: readonly RecordedEvent[];
  spec: RunSpec;
  /** Class names, indexed like perClass and classCounts. */
  classes?: string[];
  /** Examples per class of each split (run.json's dataset.classCounts). */
  classCounts?: ClassCounts;
  status?: RunStatus;
  /** Why the run failed (run.json's error). */
  error?: string;
}

/** A rule: a small pure function of the run; undefined when it finds nothing. */
export type DoctorRule = (input: DoctorInput) => Diagnosis | undefined;
