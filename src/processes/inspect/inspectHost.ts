// The extension host's side of the dataset process (dist/inspect.js): forks it on first use, sends it
// inspections and augmentation previews, hands progress back, cancels on request, and lets it go after
// an idle period (or when disposed). A crash fails the requests in flight with its stderr.
import type { EncodedDatasetReport, EncodedPreview, FromInspect, InspectProgress, InspectRequest, PreviewRequest, ToInspect } from '../../protocol/inspect';
import { ChildProcessHost } from '../childProcessHost';
import { parseFromInspect } from './inspectMessages';

/** How long an idle dataset process stays alive by default (a preview keeps its loaded dataset meanwhile). */
export const DEFAULT_IDLE_MS = 60_000;
/** How long a process that was let go may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

export interface InspectHostOptions {
  /** The dataset process entry (dist/inspect.js). */
  script: string;
  cwd?: string;
  /** Idle time before the process is let go. */
  idleMs?: number;
  /** A line the process printed, or a message that failed validation. */
  onLog?(line: string): void;
}

/** A request that failed, or was cancelled (`cancelled`). */
export class InspectError extends Error {
  override readonly name = 'InspectError';
  constructor(message: string, readonly cancelled = false) {
    super(message);
  }
}

interface Pending {
  onProgress?(progress: InspectProgress): void;
  resolve(message: Extract<FromInspect, { type: 'report' | 'preview' }>): void;
  reject(error: InspectError): void;
}

type InspectProcess = ChildProcessHost<ToInspect, FromInspect>;

export class InspectHost {
  private process?: InspectProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  private disposed = false;

  constructor(private readonly options: InspectHostOptions) {}

  /** The running process's id, if one is running. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Inspects a dataset; rejects with an InspectError (cancelled after an abort). */
  async inspect(request: InspectRequest, onProgress?: (progress: InspectProgress) => void, signal?: AbortSignal): Promise<EncodedDatasetReport> {
    const answer = await this.request((id) => ({ type: 'inspect', id, request }), onProgress, signal);
    if (answer.type !== 'report') throw new InspectError('The dataset process answered an inspection with a preview.');
    return answer.report;
  }

  /** Augments training images of a run spec as training will. */
  async preview(request: PreviewRequest, signal?: AbortSignal): Promise<EncodedPreview> {
    const answer = await this.request((id) => ({ type: 'preview', id, request }), undefined, signal);
    if (answer.type !== 'preview') throw new InspectError('The dataset process answered a preview with a report.');
    return answer.preview;
  }

  dispose(): void {
    this.disposed = true;
    this.letGo('The dataset process was shut down.');
  }

  private request(build: (id: number) => ToInspect, onProgress: Pending['onProgress'], signal: AbortSignal | undefined): Promise<Extract<FromInspect, { type: 'report' | 'preview' }>> {
    if (this.disposed) return Promise.reject(new InspectError('The dataset process has shut down.'));
    if (signal?.aborted) return Promise.reject(new InspectError('Cancelled.', true));
    const process = this.ensureProcess();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { onProgress, resolve, reject });
      signal?.addEventListener('abort', () => {
        if (this.pending.has(id)) void process.send({ type: 'cancel', id });
      }, { once: true });
      void process.send(build(id)).then((sent) => {
        if (!sent) this.settle(id, new InspectError('The dataset process did not take the request.'));
      });
    });
  }

  private ensureProcess(): InspectProcess {
    if (this.process?.connected) return this.process;
    const process: InspectProcess = new ChildProcessHost({
      script: this.options.script, name: 'dataset process', cwd: this.options.cwd,
      parse: parseFromInspect,
      onMessage: (message) => this.receive(message),
      onOutput: (line) => this.options.onLog?.(line),
      onProblem: (message) => this.options.onLog?.(message),
    });
    this.process = process;
    void process.exited.then((exit) => {
      if (this.process !== process) return; // let go earlier: its requests were settled then
      this.process = undefined;
      this.failAll(`The dataset process ${exit.how}${exit.stderrTail ? `:\n${exit.stderrTail}` : '.'}`);
    });
    return process;
  }

  private receive(message: FromInspect): void {
    const pending = this.pending.get(message.id);
    if (!pending) {
      if (message.type === 'failed') this.options.onLog?.(message.message);
      return;
    }
    switch (message.type) {
      case 'progress':
        pending.onProgress?.(message.progress);
        return;
      case 'failed':
        this.settle(message.id, new InspectError(message.message, message.cancelled));
        return;
      default:
        this.settle(message.id, message);
    }
  }

  private settle(id: number, outcome: Extract<FromInspect, { type: 'report' | 'preview' }> | InspectError): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (outcome instanceof InspectError) pending.reject(outcome);
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
    // Requests still waiting end as cancelled: whoever let the process go no longer wants them.
    if (reason) this.failAll(reason, true);
    clearTimeout(this.idleTimer);
    const process = this.process;
    this.process = undefined;
    if (!process) return;
    process.disconnect();
    process.killAfter(EXIT_GRACE_MS, { unref: true });
  }

  private failAll(reason: string, cancelled = false): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new InspectError(reason, cancelled));
  }
}
