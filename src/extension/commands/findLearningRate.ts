// Find Learning Rate: the New Training Run questions (without the rate), then a short range test in its
// own tab, which offers "Start Run with This Rate".
import { requireTrust, type Command } from './command';
import { runWizardThenStart } from './newRunWizardRun';

export const findLearningRateCommand: Command = {
  id: 'classifierLab.findLearningRate',
  async run(lab) {
    if (!requireTrust()) return;
    await runWizardThenStart(lab, 'findLearningRate');
  },
};
