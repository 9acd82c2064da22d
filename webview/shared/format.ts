// How numbers read in the dashboard: percentages, counts, durations, losses, tensor shapes.

export function formatPercent(fraction: number | undefined, digits = 2): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

/** Memory sizes in binary units: `512 KiB`, `1.4 GiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Losses and learning rates: 4 significant digits, exponent notation for very small or large values. */
export function formatNumber(value: number | undefined, significant = 4): string {
  if (value === undefined) return '–';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(significant - 1);
  return Number(value.toPrecision(significant)).toString();
}

/** `3 h 2 min`, `6 min 42 s`, `4.2 s`, `850 ms`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const rest = totalSeconds % 60;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${rest} s`;
}

/** A Keras shape without its batch axis: [null, 30, 30, 32] -> `30×30×32`; unknown sizes are `?`. */
export function formatShape(shape: readonly (number | null)[] | undefined): string {
  if (shape === undefined) return '';
  const sizes = shape.slice(1).map((n) => (n === null ? '?' : String(n)));
  return sizes.length === 0 ? 'scalar' : sizes.join('×');
}

/** A local time from an ISO string, e.g. `2026-11-27 07:15`. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
