// One child process of the extension host (a trainer, the inference process): forks a bundled script as
// plain Node with a typed IPC channel, hands over its output lines and its validated messages, keeps the
// last lines of its stderr for the message when it dies, and ends it politely or, after a timeout, by force.
import { fork, type ChildProcess } from 'node:child_process';
import { describeRaw } from '../core/guards';
import { StderrTail } from './stderrTail';

export interface ChildProcessOptions<FromChild> {
  /** The bundled entry, e.g. dist/trainer.js. */
  script: string;
  /** What the process is called in messages, e.g. "trainer process". */
  name: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Node options for the child; default none (the extension host's own, e.g. --inspect, must not be inherited). */
  execArgv?: string[];
  /** Validates a message from the child; undefined for anything it is not meant to send. */
  parse(raw: unknown): FromChild | undefined;
  onMessage(message: FromChild): void;
  /** A line the child printed, on its stdout or stderr. */
  onOutput?(line: string, stream: 'stdout' | 'stderr'): void;
  /** A message that failed validation. */
  onProblem?(message: string): void;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the host ended the process itself (`kill`, or a `killAfter` that ran out). */
  killedByHost: boolean;
  /** How it ended, for a message: "exited with code 1", "was killed (SIGKILL)", "could not start (...)". */
  how: string;
  /** Its last lines on stderr ('' when it printed none). */
  stderrTail: string;
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let partial = '';
  return (chunk) => {
    const parts = (partial + chunk.toString()).split(/\r?\n/);
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim().length > 0) onLine(line);
  };
}

export class ChildProcessHost<ToChild, FromChild> {
  /** Resolves once the process has exited (or failed to start). */
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private readonly tail = new StderrTail();
  private killedByHost = false;
  private killTimer?: NodeJS.Timeout;

  constructor(private readonly options: ChildProcessOptions<FromChild>) {
    this.child = fork(options.script, [], {
      execArgv: options.execArgv ?? [],
      cwd: options.cwd,
      // In a desktop editor the extension host's executable is Electron: make it act as plain Node.
      env: { ...(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stdout?.on('data', splitLines((line) => options.onOutput?.(line, 'stdout')));
    this.child.stderr?.on('data', (chunk: Buffer) => this.tail.push(chunk.toString()));
    this.child.stderr?.on('data', splitLines((line) => options.onOutput?.(line, 'stderr')));
    this.child.on('message', (raw: unknown) => {
      const message = options.parse(raw);
      if (message === undefined) options.onProblem?.(`Ignored an invalid message from the ${options.name}: ${describeRaw(raw)}`);
      else options.onMessage(message);
    });
    this.exited = new Promise<ChildExit>((resolve) => {
      let spawnError: Error | undefined;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(this.killTimer);
        const how = spawnError && this.child.pid === undefined ? `could not start (${spawnError.message})`
          : signal ? `was killed (${signal})`
            : `exited with code ${code ?? 'unknown'}`;
        resolve({ code, signal, killedByHost: this.killedByHost, how, stderrTail: this.tail.text() });
      };
      // Also a failed send to a process that just died; 'exit' still follows then.
      this.child.on('error', (error) => {
        spawnError ??= error;
        // A process that never started emits no 'exit'.
        if (this.child.pid === undefined) settle(null, null);
      });
      this.child.once('exit', settle);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True while the IPC channel is open. */
  get connected(): boolean {
    return this.child.connected;
  }

  get running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a message; resolves false when the channel is closed or the send failed. */
  send(message: ToChild): Promise<boolean> {
    if (!this.child.connected) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.child.send(message as object, (error) => resolve(!error));
    });
  }

  /** Closes the IPC channel: the child sees it go and ends on its own. */
  disconnect(): void {
    if (this.child.connected) this.child.disconnect();
  }

  /** Asks the process to end (`message`) and kills it if it has not within `ms`; false when it is not running. */
  stop(message: ToChild, ms: number): boolean {
    if (!this.running) return false;
    void this.send(message);
    this.killAfter(ms);
    return true;
  }

  /** Kills the process if it has not exited within `ms`. An idle host need not stay alive for the timer: `unref`. */
  killAfter(ms: number, options: { unref?: boolean } = {}): void {
    if (!this.running || this.killTimer) return;
    this.killTimer = setTimeout(() => this.kill(), ms);
    if (options.unref) this.killTimer.unref();
  }

  /** Ends the process now (SIGKILL). */
  kill(): void {
    if (!this.running) return;
    this.killedByHost = true;
    this.child.kill('SIGKILL');
  }
}
