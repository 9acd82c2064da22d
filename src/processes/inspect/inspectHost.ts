// The extension host's side of the dataset process (dist/inspect.js): forks it on first use, sends it
// inspections and augmentation previews, hands progress back, cancels on request, and lets it go after
// an idle period (or when disposed). A crash fails the requests in flight with its stderr.
import type { EncodedDatasetReport, EncodedPreview, FromInspect, InspectProgress, InspectRequest, PreviewRequest, ToInspect } from '../../protocol/inspect';
import { RequestProcessHost } from '../requestProcessHost';
import { parseFromInspect } from './inspectMessages';

/** How long an idle dataset process stays alive by default (a preview keeps its loaded dataset meanwhile). */
export const DEFAULT_IDLE_MS = 60_000;

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

type Answer = Extract<FromInspect, { type: 'report' | 'preview' }>;
interface Waiter {
  onProgress?(progress: InspectProgress): void;
}

export class InspectHost {
  private readonly process: RequestProcessHost<ToInspect, FromInspect, Answer, Waiter>;
  private disposed = false;

  constructor(private readonly options: InspectHostOptions) {
    this.process = new RequestProcessHost({
      script: options.script, name: 'dataset process', cwd: options.cwd,
      idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
      parse: parseFromInspect,
      onMessage: (message) => this.receive(message),
      error: (message, cancelled) => new InspectError(message, cancelled),
      onLog: options.onLog,
    });
  }

  /** The running process's id, if one is running. */
  get pid(): number | undefined {
    return this.process.pid;
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
    this.process.dispose('The dataset process was shut down.');
  }

  private request(build: (id: number) => ToInspect, onProgress: Waiter['onProgress'], signal: AbortSignal | undefined): Promise<Answer> {
    if (this.disposed) return Promise.reject(new InspectError('The dataset process has shut down.'));
    if (signal?.aborted) return Promise.reject(new InspectError('Cancelled.', true));
    return this.process.request(build, { onProgress }, (id) => ({ type: 'cancel', id }), signal);
  }

  private receive(message: FromInspect): void {
    const waiter = this.process.waiting(message.id);
    if (!waiter) {
      if (message.type === 'failed') this.options.onLog?.(message.message);
      return;
    }
    switch (message.type) {
      case 'progress':
        waiter.onProgress?.(message.progress);
        return;
      case 'failed':
        this.process.settle(message.id, new InspectError(message.message, message.cancelled));
        return;
      default:
        this.process.settle(message.id, message);
    }
  }
}
