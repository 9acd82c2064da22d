// Child processes started detached (each the leader of its own process group) are killed with their
// whole group, so file watchers and extension hosts they forked die with them, even when this
// process exits on an error, a timeout or Ctrl+C.
const liveGroups = new Set<number>();
let hooksInstalled = false;

// Signal 0 only asks whether any process of the group is still alive.
function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  }
}

/** Remembers a detached child's process group so that it is killed when this process exits. */
export function trackProcessGroup(pid: number): void {
  installExitHooks();
  liveGroups.add(pid);
}

/** SIGTERM to the group, then SIGKILL if anything in it is still alive after `graceMs`. */
export async function stopProcessGroup(pid: number, graceMs = 3000): Promise<void> {
  liveGroups.delete(pid);
  if (!killGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!killGroup(pid, 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  killGroup(pid, 'SIGKILL');
}
