// Reads a folder one read at a time: a call while a read runs is answered by one more read after it
// (the running read may have begun before the caller's change), shared by however many calls arrive
// meanwhile, so a burst of changes costs at most two reads and the last one sees them all.

export class SerialRead {
  private reading?: Promise<void>;
  private next?: Promise<void>;

  /** `stopped` is asked before the read once more (true after its owner is disposed). */
  constructor(private readonly read: () => Promise<void>, private readonly stopped: () => boolean) {}

  /** Reads now; during a read, resolves after the one read that follows it. */
  run(): Promise<void> {
    if (this.reading) {
      this.next ??= this.reading.catch(() => undefined).then(() => {
        this.next = undefined;
        return this.stopped() ? undefined : this.run();
      });
      return this.next;
    }
    this.reading = this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }
}
