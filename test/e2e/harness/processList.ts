// The processes running on this machine, read from /proc (Linux), for UI tests that must show a process
// did NOT start. Such a check is only worth something if it could have seen one: the listing throws when
// /proc cannot be read, or when it does not even show this test's own process.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessInfo {
  pid: number;
  /** The command line, arguments separated by spaces. */
  cmdline: string;
  /** The working folder (resolved), when it could be read. */
  cwd?: string;
}

/** Thrown when the process list cannot be observed: a test must fail then, not pass on an empty list. */
export class CannotObserveProcesses extends Error {
  override readonly name = 'CannotObserveProcesses';
}

function readProcess(procDir: string, pid: number): ProcessInfo | undefined {
  let cmdline: string;
  try {
    cmdline = readFileSync(join(procDir, String(pid), 'cmdline'), 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    return undefined; // it ended while the list was read
  }
  let cwd: string | undefined;
  try {
    cwd = realpathSync(join(procDir, String(pid), 'cwd'));
  } catch {
    cwd = undefined;
  }
  return { pid, cmdline, ...(cwd !== undefined ? { cwd } : {}) };
}

/** Every process visible in `procDir` (default /proc). Throws CannotObserveProcesses when it cannot see this one. */
export function listProcesses(procDir = '/proc', self = process.pid): ProcessInfo[] {
  let names: string[];
  try {
    names = readdirSync(procDir);
  } catch (error) {
    throw new CannotObserveProcesses(`Cannot list processes: ${procDir} is not readable (${error instanceof Error ? error.message : String(error)}).`);
  }
  const processes = names.filter((name) => /^\d+$/.test(name)).map((name) => readProcess(procDir, Number(name))).filter((p): p is ProcessInfo => p !== undefined);
  const me = processes.find((p) => p.pid === self);
  if (!me || me.cmdline.length === 0) {
    throw new CannotObserveProcesses(`Cannot list processes: ${procDir} does not show this process (${self}) with its command line, so an absent process proves nothing.`);
  }
  return processes;
}
