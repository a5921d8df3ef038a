import type { SnapshotEvent, SnapshotResult } from './types.ts';

/** Running totals the progress line shows. */
export interface ProgressState {
  label: string;
  totalBytes: number;
  totalFiles: number;
  doneBytes: number;
  doneFiles: number;
  /** Bytes moved over the network in this run (for the rate). */
  movedBytes: number;
  startedMs: number;
}

/** Bytes in binary units: "1.5 GiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** One progress line: bytes, percent, rate, files. */
export function formatProgressLine(state: ProgressState, nowMs: number): string {
  const seconds = Math.max(0.001, (nowMs - state.startedMs) / 1000);
  const pct = state.totalBytes > 0 ? Math.floor((100 * state.doneBytes) / state.totalBytes) : 100;
  return (
    `${state.label}: ${formatBytes(state.doneBytes)} / ${formatBytes(state.totalBytes)} (${pct}%), ` +
    `${formatBytes(state.movedBytes / seconds)}/s, files ${state.doneFiles}/${state.totalFiles}`
  );
}

/** The closing summary of a snapshot. */
export function formatSummary(result: SnapshotResult): string {
  const seconds = result.elapsedMs / 1000;
  const what = result.alreadyComplete
    ? result.verifiedFiles
      ? `verified ${result.verifiedFiles} files against the manifest: all intact, nothing fetched`
      : 'already complete (manifest found), nothing fetched'
    : `fetched ${result.downloadedFiles} files (${formatBytes(result.downloadedBytes)}) in ${seconds.toFixed(1)} s` +
      (seconds > 0 ? ` (${formatBytes(result.downloadedBytes / seconds)}/s)` : '') +
      (result.repaired ? `, repaired ${result.repaired}` : '');
  return [
    `${result.repoId} @ ${result.commit}: ${result.files} files, ${formatBytes(result.bytes)}; ${what}`,
    `snapshot: ${result.snapshotDir}`,
    `MODEL_ID=${result.containerPath}`,
  ].join('\n');
}

/** Where progress goes and how often. */
export interface ProgressOptions {
  write: (text: string) => void;
  /** TTY: one line rewritten in place; otherwise plain lines every `intervalMs`. */
  tty: boolean;
  intervalMs?: number;
  now?: () => number;
}

// A subscriber for snapshot events that prints progress: a single updating line on a terminal, a plain
// line every few seconds in CI and cron. Call `end()` before printing the summary.
export function createProgress(options: ProgressOptions) {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? (options.tty ? 200 : 5000);
  const state: ProgressState = {
    label: '',
    totalBytes: 0,
    totalFiles: 0,
    doneBytes: 0,
    doneFiles: 0,
    movedBytes: 0,
    startedMs: now(),
  };
  let lastPrint = 0;
  let drawn = false;
  const print = (force = false) => {
    const t = now();
    if (!force && t - lastPrint < interval) return;
    lastPrint = t;
    const line = formatProgressLine(state, t);
    if (options.tty) {
      options.write(`\r\x1b[2K${line}`);
      drawn = true;
    } else options.write(`${line}\n`);
  };
  const note = (text: string) => options.write(`${options.tty && drawn ? '\r\x1b[2K' : ''}${text}\n`);
  return {
    state,
    onEvent(event: SnapshotEvent): void {
      switch (event.type) {
        case 'plan':
          Object.assign(state, {
            label: event.repoId,
            totalBytes: event.bytes,
            totalFiles: event.files,
            startedMs: now(),
          });
          if (!options.tty)
            note(
              `${event.repoId} @ ${event.commit}: ${event.files} files, ${formatBytes(event.bytes)}; ${event.present} already here`,
            );
          return;
        case 'waiting':
          note(`waiting for the snapshot lock held by ${event.holder}`);
          return;
        case 'takeover':
          note(`took over a stale snapshot lock from ${event.previous}`);
          return;
        case 'file-bad':
          note(`${event.path}: ${event.reason}; trying again`);
          return;
        case 'bytes':
          state.movedBytes += event.n;
          state.doneBytes += event.n;
          print();
          return;
        case 'file-done':
          state.doneFiles++;
          if (!event.downloaded) state.doneBytes += event.size;
          print();
          return;
        case 'verify':
          return;
      }
    },
    /** Ends the progress line; calling it again writes nothing. */
    end(): void {
      if (options.tty && drawn) options.write('\n');
      drawn = false;
    },
  };
}
