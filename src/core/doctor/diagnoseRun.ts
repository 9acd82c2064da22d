// Runs every doctor rule over a run (finished, or still training) and lists the findings, worst first.
import type { Diagnosis, DiagnosisSeverity, DoctorInput } from './diagnosis';
import { DOCTOR_RULES } from './doctorRules';

const RANK: Record<DiagnosisSeverity, number> = { error: 0, warning: 1, info: 2 };

/**
 * The diagnoses of a run, errors first. A NaN loss makes every later number meaningless, so it is then
 * the only finding; a plateau is not worth mentioning in a run that learned nothing (an error).
 */
export function diagnoseRun(input: DoctorInput): Diagnosis[] {
  let found = Object.values(DOCTOR_RULES).map((rule) => rule(input)).filter((d): d is Diagnosis => d !== undefined);
  const notFinite = found.find((d) => d.rule === 'lossNotFinite');
  if (notFinite) return [notFinite];
  if (found.some((d) => d.severity === 'error')) found = found.filter((d) => d.rule !== 'plateau');
  return found.map((d, i) => ({ d, i })).sort((a, b) => RANK[a.d.severity] - RANK[b.d.severity] || a.i - b.i).map(({ d }) => d);
}
