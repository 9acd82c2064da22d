// A child process that answers numbered requests (the inference and dataset processes): forks it on first
// use, keeps the requests in flight by id, cancels one on abort, keeps the process warm for an idle period
// after the last answer, then lets it go. A crash fails the requests in flight with the process's stderr.
import { ChildProcessHost } from './childProcessHost';

/** How long a process that was let go may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

export interface RequestProcessOptions<FromChild> {
  /** The bundled entry, e.g. dist/inference.js. */
  script: string;
  /** What the process is called in messages, e.g. "inference process". */
  name: string;
  cwd?: string;
  /** The process's environment, read at each start (default: the extension host's). */
  env?: () => NodeJS.ProcessEnv;
  /** Idle time after the last answer before the process is let go. */
  idleMs: number;
  parse(raw: unknown): FromChild | undefined;
  /** Every valid message; route it with `waiting` and end its request with `settle`. */
  onMessage(message: FromChild): void;
  /** The error a request fails with: `cancelled` when whoever let the process go no longer wants it. */
  error(message: string, cancelled: boolean): Error;
  /** A line the process printed, or a message that failed validation. */
  onLog?(line: string): void;
}

interface Pending<Answer, Waiter> {
  waiter: Waiter;
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

export class RequestProcessHost<ToChild, FromChild, Answer, Waiter> {
  private process?: ChildProcessHost<ToChild, FromChild>;
  private readonly pending = new Map<number, Pending<Answer, Waiter>>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly options: RequestProcessOptions<FromChild>) {}

  /** The running process's id, if one is running. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Sends the request `build` makes for a fresh id; an abort sends `cancel(id)` while it is in flight. */
  request(build: (id: number) => ToChild, waiter: Waiter, cancel: (id: number) => ToChild, signal?: AbortSignal): Promise<Answer> {
    const process = this.ensureProcess();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { waiter, resolve, reject });
      signal?.addEventListener('abort', () => {
        if (this.pending.has(id)) void process.send(cancel(id));
      }, { once: true });
      void process.send(build(id)).then((sent) => {
        if (!sent) this.settle(id, this.options.error(`The ${this.options.name} did not take the request.`, false));
      });
    });
  }

  /** What waits for request `id`, if it is still in flight. */
  waiting(id: number): Waiter | undefined {
    return this.pending.get(id)?.waiter;
  }

  /** Ends request `id` with its answer or an error; the idle period starts when none is left. */
  settle(id: number, outcome: Answer | Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
    if (this.pending.size === 0) this.startIdleTimer();
  }

  /** Fails the requests in flight (as cancelled) with `reason` and lets the process go. */
  dispose(reason: string): void {
    this.letGo(reason);
  }

  private ensureProcess(): ChildProcessHost<ToChild, FromChild> {
    if (this.process?.connected) return this.process;
    const { options } = this;
    const process = new ChildProcessHost<ToChild, FromChild>({
      script: options.script, name: options.name, cwd: options.cwd, env: options.env?.(),
      parse: (raw) => options.parse(raw),
      onMessage: (message) => options.onMessage(message),
      onOutput: (line) => options.onLog?.(line),
      onProblem: (message) => options.onLog?.(message),
    });
    this.process = process;
    void process.exited.then((exit) => {
      if (this.process !== process) return; // let go earlier: its requests were settled then
      this.process = undefined;
      this.failAll(`The ${options.name} ${exit.how}${exit.stderrTail ? `:\n${exit.stderrTail}` : '.'}`, false);
    });
    return process;
  }

  private startIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0) this.letGo();
    }, this.options.idleMs);
    // An idle process must not keep a host (or a test runner) alive.
    this.idleTimer.unref();
  }

  /** Lets the process go: it exits when its IPC channel closes; killed if it lingers. */
  private letGo(reason?: string): void {
    // Requests still waiting end as cancelled: whoever let the process go no longer wants them.
    if (reason) this.failAll(reason, true);
    clearTimeout(this.idleTimer);
    const process = this.process;
    this.process = undefined;
    if (!process) return;
    process.disconnect();
    process.killAfter(EXIT_GRACE_MS, { unref: true });
  }

  private failAll(reason: string, cancelled: boolean): void {
    for (const id of [...this.pending.keys()]) this.settle(id, this.options.error(reason, cancelled));
  }
}
