// The extension host's side of the inference process (dist/inference.js): forks it on first use, keeps it
// warm for an idle period so the next classification skips TensorFlow.js start-up and model loading,
// then lets it go. Never blocks the extension host; a crash fails the requests in flight with its stderr.
import type { FromInference, InferenceModelInfo, ToInference } from '../../protocol/inference';
import { ChildProcessHost } from '../childProcessHost';
import { parseFromInference } from './inferenceMessages';

/** How long an idle inference process stays alive. */
export const DEFAULT_IDLE_MS = 60_000;
/** How long a process that was let go may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

export type ClassifyRequest = Omit<Extract<ToInference, { type: 'classify' }>, 'type' | 'id'>;
export type InferenceResult = Extract<FromInference, { type: 'result' }>;
export type InferenceImageError = Extract<FromInference, { type: 'error' }> & { index: number };
export type InferenceDone = Extract<FromInference, { type: 'done' }>;

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
  /** The process's environment (default: the extension host's). */
  env?: () => NodeJS.ProcessEnv;
  /** A line the process printed, or a message that failed validation. */
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

type InferenceProcess = ChildProcessHost<ToInference, FromInference>;

export class InferenceHost {
  private process?: InferenceProcess;
  private readonly pending = new Map<number, Pending>();
  /** Set when a request fails as a whole; its `done` then rejects instead of resolving. */
  private readonly failures = new Map<number, string>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  private disposed = false;
  private backend?: string;

  constructor(private readonly options: InferenceHostOptions) {}

  /** The running process's id, if one is running. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The backend the process announced (e.g. "wasm (SIMD, Classifier Lab gradient kernels)"), once it has. */
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
    const process = this.ensureProcess();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise<InferenceDone>((resolve, reject) => {
      this.pending.set(id, { handlers, resolve, reject });
      signal?.addEventListener('abort', () => {
        if (this.pending.has(id)) void process.send({ type: 'cancel', id });
      }, { once: true });
      void process.send({ type: 'classify', id, ...request }).then((sent) => {
        if (!sent) this.settle(id, new InferenceError('The inference process did not take the request.'));
      });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.letGo('Classification has shut down.');
  }

  private ensureProcess(): InferenceProcess {
    if (this.process?.connected) return this.process;
    const process: InferenceProcess = new ChildProcessHost({
      script: this.options.script, name: 'inference process', cwd: this.options.cwd, env: this.options.env?.(),
      parse: parseFromInference,
      onMessage: (message) => this.receive(message),
      onOutput: (line) => this.options.onLog?.(line),
      onProblem: (message) => this.options.onLog?.(message),
    });
    this.process = process;
    void process.exited.then((exit) => {
      if (this.process !== process) return; // let go earlier: its requests were settled then
      this.process = undefined;
      this.failAll(`The inference process ${exit.how}${exit.stderrTail ? `:\n${exit.stderrTail}` : '.'}`);
    });
    return process;
  }

  private receive(message: FromInference): void {
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
      if (this.pending.size === 0) this.letGo();
    }, this.options.idleMs ?? DEFAULT_IDLE_MS);
    // An idle process must not keep a host (or a test runner) alive.
    this.idleTimer.unref();
  }

  /** Lets the process go: it exits when its IPC channel closes; killed if it lingers. */
  private letGo(reason?: string): void {
    clearTimeout(this.idleTimer);
    if (reason) this.failAll(reason);
    const process = this.process;
    this.process = undefined;
    if (!process) return;
    process.disconnect();
    process.killAfter(EXIT_GRACE_MS, { unref: true });
  }

  private failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new InferenceError(reason));
    this.failures.clear();
  }
}
