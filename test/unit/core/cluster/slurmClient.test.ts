// The Slurm client's environment: what sbatch sees is what the job inherits, so a setting or an
// installation made after the window started (the native backend) must reach the next submission.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlurmClient } from '../../../../src/core/cluster/slurmClient';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

const bin = makeTempDir();
after(() => removeTempDir(bin));
// A stand-in sbatch that answers with the job id its environment names, as --parsable prints it.
writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\necho "$JOB_ID_TO_GIVE;cluster"\n');
chmodSync(join(bin, 'sbatch'), 0o755);

describe('SlurmClient environment', () => {
  test('an environment function is asked again for every command', async () => {
    let next = 41;
    const client = new SlurmClient({ env: () => ({ PATH: `${bin}:/usr/bin:/bin`, JOB_ID_TO_GIVE: String(++next) }) });
    assert.equal(await client.submit('job.sh'), '42');
    assert.equal(await client.submit('job.sh'), '43');
  });

  test('a fixed environment is used as given', async () => {
    const client = new SlurmClient({ env: { PATH: `${bin}:/usr/bin:/bin`, JOB_ID_TO_GIVE: '7' } });
    assert.equal(await client.submit('job.sh'), '7');
  });
});
