// The error for a model folder that cannot be read back.

/** A model folder that cannot be read back: the message names the file and what is wrong with it. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  /** True when a file went missing, which a folder swapped away mid-read also causes. */
  readonly vanished: boolean;

  constructor(message: string, options: { vanished?: boolean } = {}) {
    super(message);
    this.vanished = options.vanished ?? false;
  }
}
