// Reads a folder one read at a time: a call while a read runs asks for one more read after it, however
// many calls arrive meanwhile, so a burst of changes costs at most two reads and the last one sees them all.

export class SerialRead {
  private reading?: Promise<void>;
  private readAgain = false;

  /** `stopped` is asked before the read once more (true after its owner is disposed). */
  constructor(private readonly read: () => Promise<void>, private readonly stopped: () => boolean) {}

  /** Reads now; during a read, asks for one more after it and returns the running read. */
  run(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      if (this.readAgain && !this.stopped()) {
        this.readAgain = false;
        void this.run();
      }
    });
    return this.reading;
  }
}
