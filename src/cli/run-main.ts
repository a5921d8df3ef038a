import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeError } from '../core/errors.ts';
import { stopWhenOrphaned } from '../core/shutdown.ts';

/** True when the module at `url` is the process entry point (also under `zx script.mts`). */
export function isMain(url: string, argv: readonly string[] = process.argv): boolean {
  const self = fileURLToPath(url);
  return argv.slice(1, 3).some((arg) => {
    try {
      return realpathSync(arg) === realpathSync(self);
    } catch {
      return false;
    }
  });
}

/**
 * Runs a script's main when the script is the entry point. Errors are printed as "error: what / fix"
 * and set exitCode 1 (or the code main returns); Node then exits on its own so output is not cut.
 */
export function runMain(
  url: string,
  main: (argv: string[]) => Promise<number | undefined | undefined>,
): void {
  if (!isMain(url)) return;
  stopWhenOrphaned();
  ignoreClosedOutput([process.stdout, process.stderr]);
  const args = scriptArgs(process.argv, url);
  main(args).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** The arguments after the script's own path (zx passes `node zx script.mts args...`). */
export function scriptArgs(argv: readonly string[], url: string): string[] {
  const self = fileURLToPath(url);
  const index = argv.findIndex((arg, i) => {
    if (i === 0) return false;
    try {
      return realpathSync(arg) === realpathSync(self);
    } catch {
      return false;
    }
  });
  return argv.slice(index >= 0 ? index + 1 : 2);
}

// A reader that went away (`| head`, a cron wrapper that exited) makes writes to stdout/stderr fail
// with EPIPE, which Node throws as an uncaught error. Output to that stream is dropped instead, and
// the run goes on to finish its files. Other stream errors still surface.
export function ignoreClosedOutput(streams: readonly NodeJS.WriteStream[]): void {
  for (const stream of streams) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}
