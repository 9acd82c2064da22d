// `classifier-lab doctor --run RUN_DIR [--json]`: what the training doctor finds in a run's recorded metrics.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { diagnoseRun } from '../core/doctor/diagnoseRun';
import { readDoctorInput } from '../core/doctor/readDoctorInput';
import { UsageError } from './usageError';

/**
 * With --json: one `{"type":"diagnosis","rule","severity","message","epoch"?,"fix"?,"data"?}` line per
 * finding, then `{"type":"doctorEnd","runDir","diagnoses":N}`. Exit code 0 whatever it finds.
 */
export async function doctor(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { run: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.run) throw new UsageError('doctor needs --run RUN_DIR.');
  const runDir = resolve(values.run);
  const diagnoses = diagnoseRun(await readDoctorInput(runDir));
  if (values.json) {
    for (const diagnosis of diagnoses) process.stdout.write(JSON.stringify({ type: 'diagnosis', ...diagnosis }) + '\n');
    process.stdout.write(JSON.stringify({ type: 'doctorEnd', runDir, diagnoses: diagnoses.length }) + '\n');
    return 0;
  }
  if (diagnoses.length === 0) {
    process.stdout.write('No problems found in this run\'s metrics.\n');
    return 0;
  }
  for (const diagnosis of diagnoses) {
    const where = diagnosis.epoch !== undefined ? ` (epoch ${diagnosis.epoch})` : '';
    process.stdout.write(`${diagnosis.severity}${where}: ${diagnosis.message}\n`);
    if (diagnosis.fix) process.stdout.write(`  fix: ${diagnosis.fix.title}\n`);
  }
  return 0;
}
