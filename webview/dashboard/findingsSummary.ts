// The training doctor banner's heading: its findings counted by severity, `1 error, 2 warnings`.
import type { DoctorFinding } from '../../src/protocol/dashboardView';

export function findingsSummary(findings: readonly Pick<DoctorFinding, 'severity'>[]): string {
  const count = (severity: DoctorFinding['severity'], word: string): string[] => {
    const n = findings.filter((finding) => finding.severity === severity).length;
    return n === 0 ? [] : [`${n} ${word}${n === 1 ? '' : 's'}`];
  };
  return [...count('error', 'error'), ...count('warning', 'warning'), ...count('info', 'note')].join(', ');
}
