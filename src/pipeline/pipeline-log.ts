import { createWriteStream, type WriteStream } from 'node:fs';
import { formatProgress, type ProgressSnapshot } from '../load/progress.ts';

// The pipeline's log: every line goes to <run folder>/pipeline.log with a UTC timestamp, and to the
// console: timestamped plain lines when it is not a terminal (cron and SSM capture them), lines and a
// live progress line when it is.

export interface PipelineLog {
  /** One line (or several, split on newlines). */
  line(text: string): void;
  /** Live load progress: redrawn on a terminal, every `everyS` seconds elsewhere and in the file. */
  progress(snapshot: ProgressSnapshot): void;
  /** Resolves once every line so far is in the file. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface LogTarget {
  write(text: string): unknown;
  isTTY?: boolean;
}

const stamp = (now: Date) => now.toISOString();

/** Opens the log file (appending) and mirrors lines to `console`. */
export function openPipelineLog(
  file: string,
  console: LogTarget,
  clock: () => Date = () => new Date(),
  everyS = 10,
): PipelineLog {
  const out: WriteStream = createWriteStream(file, { flags: 'a' });
  const tty = console.isTTY === true;
  let live = false;
  let lastProgress = -Infinity;
  const clearLive = () => {
    if (live) console.write('\r\x1b[2K');
    live = false;
  };
  const emit = (text: string) => {
    const time = stamp(clock());
    for (const piece of text.split('\n')) {
      out.write(`${time} ${piece}\n`);
      if (tty) {
        clearLive();
        console.write(`${piece}\n`);
      } else {
        console.write(`${time} ${piece}\n`);
      }
    }
  };
  return {
    line: emit,
    progress(snapshot) {
      if (tty) {
        console.write(`\r\x1b[2K${formatProgress(snapshot)}`);
        live = true;
      }
      if (snapshot.elapsedS - lastProgress >= everyS || snapshot.elapsedS < lastProgress) {
        lastProgress = snapshot.elapsedS;
        const time = stamp(clock());
        out.write(`${time} ${formatProgress(snapshot)}\n`);
        if (!tty) console.write(`${time} ${formatProgress(snapshot)}\n`);
      }
    },
    flush() {
      return new Promise((resolve) => out.write('', () => resolve()));
    },
    close() {
      clearLive();
      return new Promise((resolve) => out.end(resolve));
    },
  };
}
