// Runs classifications in the inference process (dist/inference.js): forks it on first use, keeps it
// warm for an idle period so the next classification skips TensorFlow.js start-up and model loading,
// then lets it go. Never blocks the extension host; a crash fails the requests in flight with its stderr.
import { fork, type ChildProcess } from 'node:child_process';
import type { FromInferenceMessage, InferenceModelInfo, ToInferenceMessage } from '../../protocol/inference';
import { parseFromInferenceMessage } from './parseFromInferenceMessage';

/** How long an idle inference process stays alive. */
export const DEFAULT_IDLE_MS = 60_000;

export type ClassifyRequest = Omit<Extract<ToInferenceMessage, { type: 'classify' }>, 'type' | 'id'>;
export type InferenceResult = Extract<FromInferenceMessage, { type: 'result' }>;
export type InferenceImageError = Extract<FromInferenceMessage, { type: 'error' }> & { index: number };
export type InferenceDone = Extract<FromInferenceMessage, { type: 'done' }>;

export interface ClassifyHandlers {
  onModel?(model: InferenceModelInfo): void;
  onResult?(result: InferenceResult): void;
  onImageError?(error: InferenceImageError): void;
}

export interface InferenceHostOptions {
  /** The inference entry (dist/inference.js). */
  script: string;
  idleMs?: number;
  cwd?: string;
  /** A line the process printed on stderr, or a message that failed validation. */
  onLog?(line: string): void;
}

interface Pending {
  handlers: ClassifyHandlers;
  resolve(done: InferenceDone): void;
  reject(error: Error): void;
}

/** Thrown for a request the process refused as a whole (its model cannot be used) or could not finish. */
export class InferenceError extends Error {
  override readonly name = 'InferenceError';
}

export class InferenceHost {
  private child?: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  /** Set when a request fails as a whole; its `done` then rejects instead of resolving. */
  private readonly failures = new Map<number, string>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  private stderrTail = '';
  private disposed = false;
  private backend?: string;

  constructor(private readonly options: InferenceHostOptions) {}

  /** The running process's id, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The backend the process announced (e.g. "wasm (SIMD, 1 thread, ...)"), once it has. */
  get backendDescription(): string | undefined {
    return this.backend;
  }

  /**
   * Classifies `request.images`; the handlers see the model, then each image in order. Resolves with
   * the totals; rejects with an InferenceError when the model cannot be used or the process died.
   * An abort cancels the rest of the request (it then resolves with `cancelled`).
   */
  classify(request: ClassifyRequest, handlers: ClassifyHandlers = {}, signal?: AbortSignal): Promise<InferenceDone> {
    if (this.disposed) return Promise.reject(new InferenceError('Classification has shut down.'));
    const child = this.ensureChild();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise<InferenceDone>((resolve, reject) => {
      this.pending.set(id, { handlers, resolve, reject });
      const onAbort = () => {
        if (this.pending.has(id) && child.connected) child.send({ type: 'cancel', id } satisfies ToInferenceMessage);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      child.send({ type: 'classify', id, ...request } satisfies ToInferenceMessage, (error) => {
        if (error) this.settle(id, new InferenceError(`The inference process did not take the request: ${error.message}`));
      });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.stop('Classification has shut down.');
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    this.stderrTail = '';
    const child = fork(this.options.script, [], {
      execArgv: [],
      cwd: this.options.cwd,
      // In a desktop editor the extension host's executable is Electron: make it act as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      for (const line of text.split(/\r?\n/)) if (line.trim()) this.options.onLog?.(line);
    });
    child.on('message', (raw: unknown) => this.receive(raw));
    child.on('error', (error) => this.options.onLog?.(`inference process: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (this.child !== child) return; // let go earlier: its requests were settled then
      this.child = undefined;
      const how = signal ? `was stopped (${signal})` : `exited with code ${code}`;
      const tail = this.stderrTail.trim().split('\n').slice(-5).join('\n');
      this.failAll(`The inference process ${how}${tail ? `:\n${tail}` : '.'}`);
    });
    return child;
  }

  private receive(raw: unknown): void {
    const message = parseFromInferenceMessage(raw);
    if (!message) {
      this.options.onLog?.(`Ignored an invalid message from the inference process: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (message.type === 'ready') {
      this.backend = message.backend;
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) {
      if (message.type === 'error') this.options.onLog?.(message.message);
      return;
    }
    switch (message.type) {
      case 'model':
        pending.handlers.onModel?.(message.model);
        return;
      case 'result':
        pending.handlers.onResult?.(message);
        return;
      case 'error':
        if (message.index === undefined) this.failures.set(message.id, message.message);
        else pending.handlers.onImageError?.({ ...message, index: message.index });
        return;
      case 'done': {
        const failure = this.failures.get(message.id);
        this.failures.delete(message.id);
        this.settle(message.id, failure === undefined ? message : new InferenceError(failure));
        return;
      }
    }
  }

  private settle(id: number, outcome: InferenceDone | Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
    if (this.pending.size === 0) this.startIdleTimer();
  }

  private startIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0) this.stop();
    }, this.options.idleMs ?? DEFAULT_IDLE_MS);
    // An idle process must not keep a host (or a test runner) alive.
    this.idleTimer.unref();
  }

  /** Lets the process go: it exits when its IPC channel closes; killed if it lingers. */
  private stop(reason?: string): void {
    clearTimeout(this.idleTimer);
    if (reason) this.failAll(reason);
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    if (child.connected) child.disconnect();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    kill.unref();
    child.once('exit', () => clearTimeout(kill));
  }

  private failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new InferenceError(reason));
    this.failures.clear();
  }
}
