// Why a Slurm submission or query could not be done, in words a user can act on.

/**
 * `notInstalled`: a Slurm command is not on PATH; `refused`: sbatch rejected the job (its message is kept);
 * `unreachable`: Slurm did not answer a query; `runsFolder`: the runs folder cannot take the run;
 * `options`: a submission option is malformed; `state`: the run cannot be submitted as it stands.
 */
export type SlurmErrorKind = 'notInstalled' | 'refused' | 'unreachable' | 'runsFolder' | 'options' | 'state';

export class SlurmError extends Error {
  override readonly name = 'SlurmError';

  constructor(message: string, readonly kind: SlurmErrorKind, options?: ErrorOptions) {
    super(message, options);
  }
}
