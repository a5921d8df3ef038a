// Cleanup that must run on Ctrl-C / SIGTERM (take stacks down, flush results). Handlers run once,
// newest first, and are told which signal came; the process then exits 130 (SIGINT) or 143 (SIGTERM),
// as a shell reports a process killed by it. A second signal exits at once.
type Cleanup = (signal?: NodeJS.Signals) => Promise<void> | void;

const cleanups = new Set<Cleanup>();
let installed = false;
let shuttingDown = false;

export function onShutdown(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  if (!installed) install();
  return () => cleanups.delete(cleanup);
}

export async function runShutdown(signal?: NodeJS.Signals): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      await cleanup(signal);
    } catch (error) {
      process.stderr.write(`cleanup failed: ${(error as Error).message}\n`);
    }
  }
}

function install(): void {
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const code = signal === 'SIGTERM' ? 143 : 130;
    process.on(signal, () => {
      if (shuttingDown) process.exit(code);
      shuttingDown = true;
      process.stderr.write(`\n${signal}: cleaning up (press Ctrl-C again to exit at once)\n`);
      void runShutdown(signal).finally(() => {
        process.exitCode = code;
        process.exit();
      });
    });
  }
}

/**
 * Stops this process as SIGTERM would once the process that started it is gone. npm and npx do not
 * pass SIGTERM on to the script they started (measured: `npm run load` killed by a scheduler left the
 * runner orphaned, writing no summary), so a script watches its parent: checked every second.
 */
export function stopWhenOrphaned(intervalMs = 1000): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(`the launching process (pid ${parent}) is gone: stopping as on SIGTERM\n`);
    process.kill(process.pid, 'SIGTERM');
  }, intervalMs);
  timer.unref();
}
