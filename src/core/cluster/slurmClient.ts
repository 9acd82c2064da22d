// Runs Slurm's own commands (sbatch, squeue, sacct, scancel) and turns their answers and failures into
// plain data and SlurmErrors. Concurrent state queries within a moment share one squeue call.
import { execFile } from 'node:child_process';
import { SlurmError } from './slurmError';
import { parseSacctOutput, parseSqueueOutput, SACCT_FIELDS, SQUEUE_FORMAT, type SlurmJobState } from './slurmJobState';

export interface SlurmClientOptions {
  /**
   * Environment of the Slurm commands (PATH finds them; SLURM_CONF, if set, names the cluster); sbatch
   * passes it on to the job. A function is asked again for every command.
   */
  env?: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  /** Longest a command may take before it counts as not answering. Default 60 s. */
  timeoutMs?: number;
  /** How long state queries wait to be gathered into one squeue call. Default 20 ms. */
  batchDelayMs?: number;
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The last lines of a command's error output, as one message. */
function lastLines(text: string, count = 4): string {
  return text.trim().split('\n').map((line) => line.trim()).filter(Boolean).slice(-count).join(' ');
}

export class SlurmClient {
  private readonly env: () => NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly batchDelayMs: number;
  private batch?: { ids: Set<string>; result: Promise<Map<string, SlurmJobState>> };

  constructor(options: SlurmClientOptions = {}) {
    const env = options.env ?? process.env;
    this.env = typeof env === 'function' ? env : () => env;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.batchDelayMs = options.batchDelayMs ?? 20;
  }

  /** Throws a SlurmError (`notInstalled`) unless sbatch can be run. */
  async checkInstalled(): Promise<void> {
    await this.run('sbatch', ['--version']);
  }

  /** Submits a job script (`sbatch --parsable`) and returns the job id. A refusal keeps sbatch's own message. */
  async submit(scriptPath: string): Promise<string> {
    const result = await this.run('sbatch', ['--parsable', scriptPath]);
    // --parsable prints `jobid` or `jobid;cluster`.
    const jobId = result.stdout.trim().split('\n').pop()?.split(';', 1)[0].trim() ?? '';
    if (result.code !== 0 || !/^\d+$/.test(jobId)) {
      const detail = lastLines(result.stderr) || lastLines(result.stdout) || `sbatch exited with code ${result.code}`;
      throw new SlurmError(`Slurm refused the job: ${detail}`, 'refused');
    }
    return jobId;
  }

  /** Cancels a job (scancel). Cancelling a job that already ended is not an error. */
  async cancel(jobId: string): Promise<void> {
    const result = await this.run('scancel', [jobId]);
    if (result.code !== 0 && !/already completing or completed|Invalid job id/i.test(result.stderr)) {
      throw new SlurmError(`scancel could not cancel Slurm job ${jobId}: ${lastLines(result.stderr) || `exit code ${result.code}`}`, 'unreachable');
    }
  }

  /**
   * The states of these jobs: from squeue while the controller remembers them (queued, running, and for a
   * while after they end), else from sacct when the cluster keeps accounting. Jobs neither knows are absent.
   */
  async queryJobs(jobIds: readonly string[]): Promise<Map<string, SlurmJobState>> {
    const states = new Map<string, SlurmJobState>();
    if (jobIds.length === 0) return states;
    const ids = [...new Set(jobIds)].join(',');
    const queue = await this.run('squeue', ['--noheader', '--states=all', `--jobs=${ids}`, `--format=${SQUEUE_FORMAT}`]);
    // One unknown id makes squeue fail with "Invalid job id specified"; that only means it is gone.
    if (queue.code !== 0 && !/Invalid job id/i.test(queue.stderr)) {
      throw new SlurmError(`squeue did not answer: ${lastLines(queue.stderr) || `exit code ${queue.code}`}`, 'unreachable');
    }
    for (const state of parseSqueueOutput(queue.stdout)) states.set(state.jobId, state);
    const missing = jobIds.filter((id) => !states.has(id));
    if (missing.length > 0) {
      // Without a database (no slurmdbd) sacct says so and exits non-zero: nothing more to learn then.
      const accounting = await this.run('sacct', ['--noheader', '--parsable2', '--allocations', `--jobs=${missing.join(',')}`, `--format=${SACCT_FIELDS}`])
        .catch(() => undefined);
      if (accounting?.code === 0) {
        for (const state of parseSacctOutput(accounting.stdout)) if (!states.has(state.jobId)) states.set(state.jobId, state);
      }
    }
    return states;
  }

  /** One job's state; calls made within `batchDelayMs` of each other share one query. */
  jobState(jobId: string): Promise<SlurmJobState | undefined> {
    if (!this.batch) {
      const ids = new Set<string>();
      const result = new Promise<Map<string, SlurmJobState>>((resolve, reject) => {
        setTimeout(() => {
          this.batch = undefined;
          this.queryJobs([...ids]).then(resolve, reject);
        }, this.batchDelayMs);
      });
      this.batch = { ids, result };
    }
    this.batch.ids.add(jobId);
    return this.batch.result.then((states) => states.get(jobId));
  }

  private run(command: string, args: string[]): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const env = this.env();
      execFile(command, args, { env, timeout: this.timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (!error) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new SlurmError(
            `${command} was not found on PATH here (${env.PATH ?? 'PATH is not set'}): runs go to Slurm with sbatch and are `
            + 'followed with squeue and scancel. Run this on the cluster\'s login node, or add Slurm\'s bin folder to PATH.',
            'notInstalled', { cause: error },
          ));
        } else if (error.killed) {
          reject(new SlurmError(`${command} did not answer within ${Math.round(this.timeoutMs / 1000)} s: is the Slurm controller up?`, 'unreachable', { cause: error }));
        } else if (typeof code === 'number') {
          resolve({ code, stdout, stderr });
        } else {
          reject(new SlurmError(`${command} could not be run: ${error.message}`, 'unreachable', { cause: error }));
        }
      });
    });
  }
}
