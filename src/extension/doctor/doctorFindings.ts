// How the training doctor's diagnoses read in the editor, without the VS Code API: where in run.json a
// finding points (the setting it is about) and the message with the run's name.
import type { Diagnosis, DoctorRuleId } from '../../core/doctor/diagnosis';

/** The diagnostics' source in the Problems panel; code actions recognise theirs by it. */
export const DOCTOR_SOURCE = 'Classifier Lab doctor';

/** The run.json key a finding is about, most specific first: the setting to change, else what it measured. */
const RULE_KEYS: Record<DoctorRuleId, readonly string[]> = {
  lossNotFinite: ['error', 'learningRate'],
  lossDiverged: ['learningRate'],
  learningRateTooHigh: ['learningRate'],
  learningRateTooLow: ['learningRate'],
  collapsedPredictions: ['bestValAcc', 'learningRate'],
  overfitting: ['augment'],
  plateau: ['earlyStoppingPatience'],
  classImbalance: ['classCounts', 'dataset'],
};

/** A zero-based range on one line of a text. */
export interface TextSpan {
  line: number;
  start: number;
  end: number;
}

/**
 * Where a finding shows in run.json's text (written with two-space indentation, one key a line): the line
 * of the key it is about, from the key to the end of its line; the first line when the key is not there.
 */
export function findingSpan(runJsonText: string, rule: DoctorRuleId): TextSpan {
  const lines = runJsonText.split(/\r?\n/);
  for (const key of RULE_KEYS[rule]) {
    const needle = `"${key}":`;
    const line = lines.findIndex((text) => text.trimStart().startsWith(needle));
    if (line >= 0) {
      const text = lines[line];
      const start = text.indexOf(needle);
      return { line, start, end: text.replace(/,\s*$/, '').length };
    }
  }
  return { line: 0, start: 0, end: lines[0]?.length ?? 0 };
}

/** The Problems panel lists every run's findings under a file named run.json: the message names the run. */
export function findingMessage(runName: string, diagnosis: Diagnosis): string {
  return `${runName}: ${diagnosis.message}`;
}
