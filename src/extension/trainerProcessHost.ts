// One trainer child process for one run: forks the bundled trainer, talks typed IPC, stops it politely
// (then kills it), and turns a crash into a failed run with the last lines of its stderr.
import { fork, type ChildProcess } from 'node:child_process';
import type { FromTrainerMessage, ToTrainerMessage, TrainerFinishStatus } from '../protocol/trainer';
import type { TrainingEvent } from '../core/train/trainingEvents';
import { markRunEnded } from './markRunEnded';
import { parseFromTrainerMessage } from './parseFromTrainerMessage';
import { StderrTail } from './stderrTail';

export type TrainerStartMessage = Extract<ToTrainerMessage, { type: 'start' }>;

/** How long a stopped trainer gets to finish its batch and save before it is killed. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export interface TrainerProcessHostOptions {
  /** The trainer entry (dist/trainer.js). */
  trainerScript: string;
  /** Node options for the child; default none (the extension host's own, e.g. --inspect, must not be inherited). */
  execArgv?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stopTimeoutMs?: number;
  onRunCreated?(runId: string, runDir: string): void;
  onEvent?(event: TrainingEvent, runId: string): void;
  /** A line the trainer printed (its stdout, or stderr). */
  onOutput?(line: string, stream: 'stdout' | 'stderr'): void;
  /** A message that failed validation, or a run folder that could not be updated after a crash. */
  onProblem?(message: string): void;
}

export interface TrainerExit {
  status: TrainerFinishStatus;
  /** Absent when the trainer ended before it created the run folder. */
  runId?: string;
  error?: string;
  /** True when the host had to end the process itself (a stop that timed out, or `kill`). */
  killed: boolean;
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let partial = '';
  return (chunk) => {
    const parts = (partial + chunk.toString()).split(/\r?\n/);
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.length > 0) onLine(line);
  };
}

export class TrainerProcessHost {
  /** The trainer's outcome once the process has exited and the run folder says how it ended. */
  readonly exited: Promise<TrainerExit>;
  private readonly child: ChildProcess;
  private readonly stderrTail = new StderrTail();
  private finished?: Extract<FromTrainerMessage, { type: 'finished' }>;
  private currentRunId?: string;
  private stopRequested = false;
  private detached = false;
  private killedByHost = false;
  private stopTimer?: NodeJS.Timeout;

  constructor(private readonly start: TrainerStartMessage, private readonly options: TrainerProcessHostOptions) {
    this.child = fork(options.trainerScript, [], {
      execArgv: options.execArgv ?? [],
      cwd: options.cwd,
      // In a desktop editor the extension host's executable is Electron: make it act as plain Node.
      env: { ...(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.currentRunId = start.resumeRunId;
    this.child.stdout?.on('data', splitLines((line) => options.onOutput?.(line, 'stdout')));
    this.child.stderr?.on('data', (chunk: Buffer) => this.stderrTail.push(chunk.toString()));
    this.child.stderr?.on('data', splitLines((line) => options.onOutput?.(line, 'stderr')));
    this.child.on('message', (raw: unknown) => this.receive(raw));
    this.exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>((resolve) => {
      let spawnError: Error | undefined;
      // Also a failed send to a process that just died; 'exit' still follows then.
      this.child.on('error', (error) => {
        spawnError ??= error;
        // A process that never started emits no 'exit'.
        if (this.child.pid === undefined) resolve({ code: null, signal: null, spawnError });
      });
      this.child.once('exit', (code, signal) => resolve({ code, signal, spawnError }));
    }).then((exit) => this.settle(exit));
    if (this.child.pid !== undefined) this.child.send(start);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The run this trainer trains, once it has created (or reopened) its folder. */
  get runId(): string | undefined {
    return this.currentRunId;
  }

  /** Asks the trainer to finish its batch and end the run as cancelled; kills it when it has not exited in time. */
  stop(): Promise<TrainerExit> {
    if (!this.stopRequested && this.child.exitCode === null && this.child.signalCode === null) {
      this.stopRequested = true;
      if (this.child.connected) this.child.send({ type: 'stop' } satisfies ToTrainerMessage);
      this.stopTimer = setTimeout(() => this.kill(), this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    }
    return this.exited;
  }

  /**
   * Lets go of the trainer because this extension host is going away: the trainer sees its IPC channel
   * close, finishes the batch and ends the run as interrupted (resumable) on its own.
   */
  detach(): void {
    this.detached = true;
    if (this.child.connected) this.child.disconnect();
  }

  /** Ends the process now (SIGKILL). */
  kill(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.killedByHost = true;
    this.child.kill('SIGKILL');
  }

  private receive(raw: unknown): void {
    const message = parseFromTrainerMessage(raw);
    if (!message) {
      this.options.onProblem?.(`Ignored an invalid message from the trainer: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'runCreated':
        this.currentRunId = message.runId;
        this.options.onRunCreated?.(message.runId, message.runDir);
        return;
      case 'event':
        this.options.onEvent?.(message.event, message.runId);
        return;
      case 'finished':
        this.finished = message;
        if (message.runId !== undefined) this.currentRunId = message.runId;
        return;
    }
  }

  private async settle(exit: { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }): Promise<TrainerExit> {
    clearTimeout(this.stopTimer);
    const runId = this.currentRunId;
    const killed = this.killedByHost;
    if (this.finished && !killed) {
      return { status: this.finished.status, runId, killed, ...(this.finished.error !== undefined ? { error: this.finished.error } : {}) };
    }
    if (this.detached) return { status: 'interrupted', runId, killed };
    let status: TrainerFinishStatus;
    let error: string | undefined;
    if (this.stopRequested) {
      status = 'cancelled';
    } else {
      status = 'failed';
      const how = exit.spawnError && this.child.pid === undefined ? `could not start (${exit.spawnError.message})`
        : exit.signal ? `was killed (${exit.signal})`
          : `exited with code ${exit.code ?? 'unknown'}`;
      const tail = this.stderrTail.text();
      error = `The trainer process ${how} before the run finished.${tail ? `\n${tail}` : ''}`;
    }
    if (runId !== undefined) {
      try {
        await markRunEnded(this.start.runsDir, runId, status, error);
      } catch (problem) {
        this.options.onProblem?.(`Could not record how run ${runId} ended: ${problem instanceof Error ? problem.message : String(problem)}`);
      }
    }
    return { status, runId, killed, ...(error !== undefined ? { error } : {}) };
  }
}
