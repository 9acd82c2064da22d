// The extension host's side of the inference process (dist/inference.js): forks it on first use, keeps it
// warm for an idle period so the next classification skips TensorFlow.js start-up and model loading,
// then lets it go. Never blocks the extension host; a crash fails the requests in flight with its stderr.
import type { FromInference, InferenceModelInfo, ToInference } from '../../protocol/inference';
import { RequestProcessHost } from '../requestProcessHost';
import { parseFromInference } from './inferenceMessages';

/** How long an idle inference process stays alive. */
export const DEFAULT_IDLE_MS = 60_000;

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

/** What waits for a request: its handlers, and the reason it failed as a whole once the process says so. */
interface Waiter {
  handlers: ClassifyHandlers;
  failure?: string;
}

/** Thrown for a request the process refused as a whole (its model cannot be used) or could not finish. */
export class InferenceError extends Error {
  override readonly name = 'InferenceError';
}

export class InferenceHost {
  private readonly process: RequestProcessHost<ToInference, FromInference, InferenceDone, Waiter>;
  private disposed = false;
  private backend?: string;

  constructor(private readonly options: InferenceHostOptions) {
    this.process = new RequestProcessHost({
      script: options.script, name: 'inference process', cwd: options.cwd, env: options.env,
      idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
      parse: parseFromInference,
      onMessage: (message) => this.receive(message),
      error: (message) => new InferenceError(message),
      onLog: options.onLog,
    });
  }

  /** The running process's id, if one is running. */
  get pid(): number | undefined {
    return this.process.pid;
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
    return this.process.request((id) => ({ type: 'classify', id, ...request }), { handlers }, (id) => ({ type: 'cancel', id }), signal);
  }

  dispose(): void {
    this.disposed = true;
    this.process.dispose('Classification has shut down.');
  }

  private receive(message: FromInference): void {
    if (message.type === 'ready') {
      this.backend = message.backend;
      return;
    }
    const waiter = this.process.waiting(message.id);
    if (!waiter) {
      if (message.type === 'error') this.options.onLog?.(message.message);
      return;
    }
    switch (message.type) {
      case 'model':
        waiter.handlers.onModel?.(message.model);
        return;
      case 'result':
        waiter.handlers.onResult?.(message);
        return;
      case 'error':
        if (message.index === undefined) waiter.failure = message.message;
        else waiter.handlers.onImageError?.({ ...message, index: message.index });
        return;
      case 'done':
        this.process.settle(message.id, waiter.failure === undefined ? message : new InferenceError(waiter.failure));
        return;
    }
  }
}
