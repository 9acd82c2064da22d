// The error a run setting that cannot work raises: its message names the setting and the accepted values.

/** A setting the user gave that cannot work: the message names the setting and the accepted values. */
export class RunSpecError extends Error {
  override readonly name = 'RunSpecError';
}
