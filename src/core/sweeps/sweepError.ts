// A sweep folder that cannot be read, created or taken over: the message says which and why.

export class SweepError extends Error {
  override readonly name = 'SweepError';
}
