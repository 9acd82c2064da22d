// The training process's CPU use and memory between two moments (an epoch), for the epochEnd event.
import { availableParallelism } from 'node:os';

export interface SystemMetrics {
  /** CPU time of the whole process (every thread, replicas included) over wall time, as a percent of all cores (0-100). */
  cpuPercent: number;
  /** Resident set size at the sample, in bytes. */
  rssBytes: number;
  /** The largest resident set size the process has had so far, in bytes. */
  peakRssBytes: number;
}

/** Samples process.cpuUsage and memory; each sample covers the time since the previous one (or since creation). */
export class SystemMetricsSampler {
  private lastCpu = process.cpuUsage();
  private lastTime = process.hrtime.bigint();
  private peak = 0;

  constructor(private readonly cores = availableParallelism()) {}

  sample(): SystemMetrics {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = process.hrtime.bigint();
    const wallMicros = Number(now - this.lastTime) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastTime = now;
    const rssBytes = process.memoryUsage.rss();
    // resourceUsage().maxRSS is in kilobytes and also sees peaks between samples.
    this.peak = Math.max(this.peak, rssBytes, process.resourceUsage().maxRSS * 1024);
    const cpuPercent = wallMicros > 0 ? (100 * (cpu.user + cpu.system)) / (wallMicros * Math.max(1, this.cores)) : 0;
    return { cpuPercent: Math.min(100, cpuPercent), rssBytes, peakRssBytes: this.peak };
  }
}
