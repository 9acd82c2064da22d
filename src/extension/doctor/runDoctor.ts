// The training doctor in the editor: every run of the runs folder diagnosed (src/core/doctor) and its
// findings in the Problems panel on its run.json, through one DiagnosticCollection. Runs are diagnosed in
// the background when they appear and again whenever the runs folder reports their metrics or record
// changed, so a training run's findings follow it live; dashboards and quick fixes read them here.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { Diagnosis, DiagnosisSeverity } from '../../core/doctor/diagnosis';
import { diagnoseRun } from '../../core/doctor/diagnoseRun';
import { doctorInputOf } from '../../core/doctor/readDoctorInput';
import { errorMessage } from '../../core/errorMessage';
import type { RecordedEvent } from '../../core/runs/recordedEvent';
import { runPaths } from '../../core/runs/runLayout';
import type { RunRecord } from '../../core/runs/runRecord';
import type { RunsFolder } from '../runsFolder';
import { DOCTOR_SOURCE, findingMessage, findingSpan } from './doctorFindings';

/** Runs diagnosed at once in the background (each reads a metrics file). */
const CONCURRENCY = 2;
/** A training run is diagnosed again at most this often (its metrics change every batch). */
const LIVE_INTERVAL_MS = 2_000;

const SEVERITIES: Record<DiagnosisSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

interface RunState {
  /** What the diagnoses were computed from: the record's status and error, and the metrics file's size and time. */
  stamp: string;
  diagnoses: Diagnosis[];
  /** What the Problems panel shows for it (the run's name is in each message). */
  shown: string;
  /** A live run's events so far and where reading stopped, so each change reads only the new lines. */
  live?: { offset: number; events: RecordedEvent[] };
  lastAt: number;
}

function isLive(record: RunRecord): boolean {
  return record.status === 'running' || record.status === 'queued';
}

export class RunDoctor implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('classifierLab.doctor');
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** The findings of this run changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly states = new Map<string, RunState>();
  /** Runs waiting to be diagnosed, in order. */
  private readonly pending = new Set<string>();
  private readonly working = new Set<string>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];
  private dir?: string;
  private disposed = false;

  constructor(private readonly folder: RunsFolder, private readonly docs: vscode.Uri, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      folder.onDidChangeRuns(() => this.sync()),
      folder.onDidChangeRunFile((change) => {
        if (change.kind === 'metrics' || change.kind === 'record') this.request(change.runId);
      }),
    ];
    if (folder.isLoaded) this.sync();
  }

  /** The run's findings as last computed (undefined until it has been diagnosed). */
  diagnoses(runId: string): readonly Diagnosis[] | undefined {
    return this.states.get(runId)?.diagnoses;
  }

  /** Diagnoses the run before those waiting (its dashboard opened). */
  prioritise(runId: string): void {
    if (this.states.has(runId) || this.working.has(runId)) return;
    this.pending.delete(runId);
    const rest = [...this.pending];
    this.pending.clear();
    this.pending.add(runId);
    for (const id of rest) this.pending.add(id);
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
    this.collection.dispose();
    this.changeEmitter.dispose();
  }

  /** The list of runs changed: forget runs that went, diagnose runs not seen yet (newest first). */
  private sync(): void {
    if (this.folder.dir !== this.dir) {
      this.dir = this.folder.dir;
      this.collection.clear();
      const gone = [...this.states.keys()];
      this.states.clear();
      this.pending.clear();
      for (const runId of gone) this.changeEmitter.fire(runId);
    }
    const known = new Set(this.folder.runs.map((record) => record.id));
    for (const runId of [...this.states.keys()]) {
      if (known.has(runId)) continue;
      this.states.delete(runId);
      this.collection.delete(this.recordUri(runId));
      this.changeEmitter.fire(runId);
    }
    for (const runId of [...this.pending]) if (!known.has(runId)) this.pending.delete(runId);
    for (const record of this.folder.runs) if (!this.states.has(record.id)) this.pending.add(record.id);
    this.pump();
  }

  private request(runId: string): void {
    const state = this.states.get(runId);
    const wait = state ? state.lastAt + LIVE_INTERVAL_MS - Date.now() : 0;
    if (wait > 0) {
      if (!this.timers.has(runId)) {
        this.timers.set(runId, setTimeout(() => {
          this.timers.delete(runId);
          this.request(runId);
        }, wait));
      }
      return;
    }
    if (this.working.has(runId)) this.again.add(runId);
    else this.pending.add(runId);
    this.pump();
  }

  private pump(): void {
    while (!this.disposed && this.working.size < CONCURRENCY && this.pending.size > 0) {
      const [runId] = this.pending;
      this.pending.delete(runId);
      this.working.add(runId);
      void this.diagnose(runId)
        .catch((error: unknown) => this.log.warn(`The training doctor could not read run ${runId}: ${errorMessage(error)}`))
        .finally(() => {
          this.working.delete(runId);
          if (this.again.delete(runId)) this.pending.add(runId);
          this.pump();
        });
    }
  }

  private recordUri(runId: string): vscode.Uri {
    return vscode.Uri.file(runPaths(this.folder.requireStore().runDir(runId)).record);
  }

  private async diagnose(runId: string): Promise<void> {
    const record = this.folder.record(runId);
    const store = this.folder.store;
    if (!record || !store || this.disposed) return;
    const paths = runPaths(store.runDir(runId));
    const metrics = await fs.stat(paths.metrics).then((s) => `${s.mtimeMs}:${s.size}`, () => 'none');
    const stamp = `${record.status}|${record.error ?? ''}|${record.name}|${metrics}`;
    const previous = this.states.get(runId);
    if (previous?.stamp === stamp) return;
    let events: RecordedEvent[];
    let nextOffset: number;
    if (previous?.live) {
      const chunk = await store.readMetricsFrom(runId, previous.live.offset);
      // A file shorter than what was read was replaced: start over.
      const replaced = chunk.nextOffset < previous.live.offset;
      events = replaced ? (await store.readMetricsFrom(runId, 0)).events : [...previous.live.events, ...chunk.events];
      nextOffset = replaced ? 0 : chunk.nextOffset;
    } else {
      const chunk = await store.readMetricsFrom(runId, 0);
      events = chunk.events;
      nextOffset = chunk.nextOffset;
    }
    const diagnoses = diagnoseRun(doctorInputOf(record, events));
    if (this.disposed || this.folder.store !== store) return;
    const shown = JSON.stringify([record.name, diagnoses]);
    this.states.set(runId, {
      stamp, diagnoses, shown, lastAt: Date.now(),
      ...(isLive(record) ? { live: { offset: nextOffset, events } } : {}),
    });
    if (previous?.shown === shown) return;
    await this.publish(record, paths.record, diagnoses);
    this.changeEmitter.fire(runId);
  }

  private async publish(record: RunRecord, recordPath: string, diagnoses: readonly Diagnosis[]): Promise<void> {
    const uri = vscode.Uri.file(recordPath);
    if (diagnoses.length === 0) {
      this.collection.delete(uri);
      return;
    }
    const text = await fs.readFile(recordPath, 'utf8').catch(() => '');
    this.collection.set(uri, diagnoses.map((finding) => {
      const span = findingSpan(text, finding.rule);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(span.line, span.start, span.line, span.end), findingMessage(record.name, finding), SEVERITIES[finding.severity]);
      diagnostic.source = DOCTOR_SOURCE;
      diagnostic.code = { value: finding.rule, target: this.docs };
      return diagnostic;
    }));
  }
}
