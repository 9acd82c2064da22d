// The last lines a process wrote, kept for the error message when it dies.

/** Collects text chunks as they arrive and remembers only the last `maxLines` complete-or-partial lines. */
export class StderrTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 12, private readonly maxLineLength = 400) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
    // A single endless line must not grow without bound either.
    if (this.partial.length > this.maxLineLength * 4) this.partial = this.partial.slice(-this.maxLineLength * 4);
  }

  /** The kept lines (a trailing unfinished line included), blank lines dropped, each cut to `maxLineLength`. */
  text(): string {
    const all = this.partial.trim().length > 0 ? [...this.lines, this.partial] : this.lines;
    return all.slice(-this.maxLines).map((line) => (line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}…` : line)).join('\n');
  }

  private add(line: string): void {
    if (line.trim().length === 0) return;
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }
}
