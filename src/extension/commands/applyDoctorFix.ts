// Apply Doctor Fix: reruns a run with the changes the training doctor suggested for one of its findings
// (a quick fix in run.json, or a button on the dashboard's banner), noting in the new run where it came from.
import * as vscode from 'vscode';
import { isOneOf } from '../../core/guards';
import { DOCTOR_RULES } from '../../core/doctor/doctorRules';
import type { DoctorRuleId } from '../../core/doctor/diagnosis';
import { errorMessage } from '../../core/errorMessage';
import { runSpecWithChanges } from '../../core/trainOptions';
import { APPLY_DOCTOR_FIX_COMMAND } from '../doctor/doctorCodeActions';
import { requireTrust, type Command } from './command';
import { startTraining } from './trainRun';

const RULE_IDS = Object.keys(DOCTOR_RULES) as DoctorRuleId[];

export const applyDoctorFixCommand: Command = {
  id: APPLY_DOCTOR_FIX_COMMAND,
  async run(lab, runId, rule) {
    if (!requireTrust()) return;
    if (typeof runId !== 'string' || !isOneOf(rule, RULE_IDS)) throw new Error('Apply Doctor Fix needs a run and one of its findings (use the quick fix on a finding in run.json, or the dashboard\'s banner).');
    const record = lab.folder.record(runId);
    if (!record) throw new Error(`There is no run ${runId} in the runs folder.`);
    const fix = lab.doctor.diagnoses(runId)?.find((finding) => finding.rule === rule)?.fix;
    if (!fix) {
      void vscode.window.showInformationMessage(`The training doctor no longer suggests that for "${record.name}".`);
      return;
    }
    const spec = runSpecWithChanges(record.spec, fix.changes);
    const queued = startTraining(lab, { spec });
    if (!queued) return;
    lab.log.info(`"${record.name}": ${fix.title} (${JSON.stringify(fix.changes)}), as the training doctor suggested.`);
    // A run that never gets its folder is reported by the training controller.
    void queued.created.then(async (newId) => {
      try {
        await lab.folder.requireStore().setNotes(newId, `Rerun of "${record.name}" (${record.id}) as the training doctor suggested: ${fix.title.replace(/^Rerun with /, '')}.`, ['doctor-fix']);
        lab.folder.scheduleRefresh();
      } catch (error) {
        lab.log.warn(`Could not note where the rerun of "${record.name}" came from: ${errorMessage(error)}`);
      }
    }, () => undefined);
  },
};
