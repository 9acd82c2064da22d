// Fine-tune from This Run: a new run that starts from a completed run's weights, on a dataset of the same
// image shape (the wizard checks it), optionally training only the classifier head for its first epochs.
import { requireTrust, type Command } from './command';
import { runWizardThenStart } from './newRunWizardRun';
import { resolveRun } from './runArguments';

export const fineTuneRunCommand: Command = {
  id: 'classifierLab.fineTuneRun',
  async run(lab, arg) {
    if (!requireTrust()) return;
    const entry = await resolveRun(lab, arg, {
      filter: (e) => e.record.status === 'completed', placeHolder: 'Run whose weights the new run starts from',
      none: 'No run can be fine-tuned from yet: fine-tuning starts from a completed run.',
    });
    if (!entry) return;
    const { record } = entry;
    if (record.status !== 'completed') throw new Error(`Run "${record.name}" is ${record.status}: fine-tuning starts from a completed run's model.`);
    await runWizardThenStart(lab, 'train', { record, runDir: lab.folder.requireStore().runDir(record.id) });
  },
};
