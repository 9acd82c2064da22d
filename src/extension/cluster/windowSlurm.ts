// The window's Slurm plumbing, built once in activate(): one client for Slurm's commands, and the
// executor that submits this window's runs as jobs with the settings of the moment.
import type * as vscode from 'vscode';
import { SlurmClient } from '../../core/cluster/slurmClient';
import { SlurmExecutor, type SlurmRunSource } from '../../processes/slurm/slurmExecutor';
import { processEnvironment } from '../nativeBackend';
import { readExecutorSettings, readSettings } from '../settings';

/**
 * The client every Slurm command of the window goes through, so state queries made together share one
 * squeue call. Commands see the environment the window's local trainers get (the user's PATH and
 * SLURM_CONF on the login node, the native backend once installed, the decoded-image cache); sbatch
 * passes it on to the job, so under Electron the job's `node` is also told to act as Node.
 */
export function windowSlurmClient(context: vscode.ExtensionContext): SlurmClient {
  const env = (): NodeJS.ProcessEnv => {
    const base = processEnvironment(context);
    return process.versions.electron ? { ...base, ELECTRON_RUN_AS_NODE: '1' } : base;
  };
  return new SlurmClient({ env, timeoutMs: 30_000 });
}

/** Submits runs as jobs that run this extension's own CLI with the node running the extension host (both must be on the shared file system). */
export function windowSlurmExecutor(context: vscode.ExtensionContext, source: SlurmRunSource, client: SlurmClient): SlurmExecutor {
  return new SlurmExecutor({
    source, client,
    config: () => ({
      options: readExecutorSettings().slurm,
      cliCommand: [process.execPath, context.asAbsolutePath('dist/cli.js')],
      backend: readSettings().backend,
      runsFolderHint: 'the setting classifierLab.runsFolder',
    }),
  });
}
