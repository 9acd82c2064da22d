// The sweeps folder beside the runs folder: creates, lists, reads, claims and rewrites sweep folders
// (`<sweeps>/<id>/sweep.json`, written atomically), and tells a live sweep from one whose process died.
import { promises as fs, type Dirent } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { writeJsonAtomic } from '../runs/atomicFile';
import { isProcessAlive as probeProcess, DEFAULT_STALE_AFTER_MS } from '../runs/reconcileStatus';
import { isRunId, newRunId, randomRunIdSuffix } from '../runs/runId';
import { parseSweepRecord } from './parseSweepRecord';
import { SweepError } from './sweepError';
import { SWEEP_SCHEMA_VERSION, type SweepRecord } from './sweepRecord';
import type { SweepSpec } from './sweepSpec';
import { errorMessage } from '../errorMessage';

export const SWEEP_FILE = 'sweep.json';

/** `.classifier-lab/runs` -> `.classifier-lab/sweeps`: sweeps live beside the runs they train. */
export function sweepsDirFor(runsDir: string): string {
  return join(dirname(resolve(runsDir)), 'sweeps');
}

export interface SweepStoreOptions {
  now?: () => Date;
  hostname?: string;
  isProcessAlive?: (pid: number) => boolean;
  /** Heartbeat age after which a sweep owned by another machine reads as interrupted. */
  staleAfterMs?: number;
  randomSuffix?: () => string;
}

export interface SweepListing {
  /** Newest first. */
  sweeps: SweepRecord[];
  unreadable: { id: string; reason: string }[];
}

export class SweepStore {
  private readonly now: () => Date;
  private readonly hostname: string;
  private readonly isAlive: (pid: number) => boolean;
  private readonly staleAfterMs: number;
  private readonly randomSuffix: () => string;

  constructor(readonly sweepsDir: string, options: SweepStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.hostname = options.hostname ?? osHostname();
    this.isAlive = options.isProcessAlive ?? probeProcess;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.randomSuffix = options.randomSuffix ?? randomRunIdSuffix;
  }

  sweepDir(id: string): string {
    if (!isRunId(id)) throw new SweepError(`Not a sweep id: ${JSON.stringify(id)}.`);
    return join(this.sweepsDir, id);
  }

  /** The runs folder of a sweep, absolute. */
  runsDirOf(record: SweepRecord): string {
    return resolve(this.sweepDir(record.id), record.runsDir);
  }

  /** Makes a sweep folder with its sweep.json: queued, no trials yet; `runSweep` starts it. */
  async create(spec: SweepSpec, runsDir: string): Promise<SweepRecord> {
    await fs.mkdir(this.sweepsDir, { recursive: true });
    const createdAt = this.now();
    let id = '';
    for (let attempt = 0; ; attempt++) {
      id = newRunId(createdAt, 'sweep', this.randomSuffix());
      try {
        await fs.mkdir(this.sweepDir(id));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 50) throw error;
      }
    }
    const sweepDir = this.sweepDir(id);
    const fromSweep = relative(sweepDir, resolve(runsDir));
    const time = createdAt.toISOString();
    const record: SweepRecord = {
      schemaVersion: SWEEP_SCHEMA_VERSION,
      id,
      name: spec.name,
      status: 'queued',
      createdAt: time,
      updatedAt: time,
      spec: structuredClone(spec),
      runsDir: isAbsolute(fromSweep) ? fromSweep : fromSweep.split('\\').join('/'),
      elapsedMs: 0,
      trials: [],
    };
    try {
      await writeJsonAtomic(join(sweepDir, SWEEP_FILE), record);
    } catch (error) {
      await fs.rm(sweepDir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    return record;
  }

  /** One sweep, with a dead owner's `running` read as `interrupted`. */
  async read(id: string): Promise<SweepRecord> {
    const path = join(this.sweepDir(id), SWEEP_FILE);
    let text: string;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SweepError(`No sweep at ${this.sweepDir(id)}: it has no ${SWEEP_FILE}.`);
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new SweepError(`${path} is not valid JSON (${errorMessage(error)}).`);
    }
    const parsed = parseSweepRecord(raw, id);
    if (!parsed.ok) throw new SweepError(`${path} cannot be read: ${parsed.reason}.`);
    return this.reconcile(parsed.record);
  }

  /** Every sweep folder, newest first, and the unreadable ones with the reason. */
  async list(): Promise<SweepListing> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(this.sweepsDir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sweeps: [], unreadable: [] };
      throw error;
    }
    const listing: SweepListing = { sweeps: [], unreadable: [] };
    for (const entry of entries) {
      if (!entry.isDirectory() || !isRunId(entry.name)) continue;
      try {
        listing.sweeps.push(await this.read(entry.name));
      } catch (error) {
        listing.unreadable.push({ id: entry.name, reason: errorMessage(error) });
      }
    }
    listing.sweeps.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return listing;
  }

  /**
   * Takes a sweep over for this process, to run or resume it: refuses one that another live process is
   * running, marks it running and owned here.
   */
  async claim(id: string): Promise<SweepRecord> {
    const record = await this.read(id);
    const owner = record.process;
    if (record.status === 'running' && owner && !(owner.pid === process.pid && owner.hostname === this.hostname)) {
      throw new SweepError(`Sweep "${record.name}" is still running in process ${owner.pid} on ${owner.hostname}.`);
    }
    record.status = 'running';
    record.process = { pid: process.pid, hostname: this.hostname };
    delete record.endedAt;
    delete record.stopReason;
    delete record.error;
    await this.write(record);
    return record;
  }

  /**
   * Deletes a sweep's folder (not its trials' runs, which are ordinary runs): renamed aside first, so a
   * reader never sees half of it. Refuses a sweep a live process is running.
   */
  async delete(id: string): Promise<void> {
    const dir = this.sweepDir(id);
    const record = await this.read(id).catch(() => undefined);
    if (record?.status === 'running') throw new SweepError(`Sweep "${record.name}" is still running: stop it before deleting it.`);
    const doomed = join(this.sweepsDir, `.deleting-${id}-${this.randomSuffix()}`);
    await fs.rename(dir, doomed);
    await fs.rm(doomed, { recursive: true, force: true });
  }

  /** Rewrites sweep.json (atomically), stamping `updatedAt`. */
  async write(record: SweepRecord): Promise<void> {
    record.updatedAt = this.now().toISOString();
    await writeJsonAtomic(join(this.sweepDir(record.id), SWEEP_FILE), record);
  }

  private reconcile(record: SweepRecord): SweepRecord {
    if (record.status !== 'running') return record;
    const owner = record.process;
    const age = this.now().getTime() - Date.parse(record.updatedAt);
    const gone = owner && owner.hostname === this.hostname ? !this.isAlive(owner.pid) : !(age <= this.staleAfterMs);
    return gone ? { ...record, status: 'interrupted' } : record;
  }
}

/** Opens a sweep given the path of its folder (as `--resume SWEEP_DIR` takes it). */
export async function openSweepFolder(sweepDir: string, options: SweepStoreOptions = {}): Promise<{ store: SweepStore; record: SweepRecord }> {
  const absolute = resolve(sweepDir);
  const store = new SweepStore(dirname(absolute), options);
  return { store, record: await store.read(basename(absolute)) };
}
