// Cleanup that must run on Ctrl-C / SIGTERM (take stacks down, flush results). Handlers run once,
// newest first; a second signal exits at once.
type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();
let installed = false;
let shuttingDown = false;

export function onShutdown(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  if (!installed) install();
  return () => cleanups.delete(cleanup);
}

export async function runShutdown(): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${(error as Error).message}\n`);
    }
  }
}

function install(): void {
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (shuttingDown) process.exit(130);
      shuttingDown = true;
      process.stderr.write(`\n${signal}: cleaning up (press Ctrl-C again to exit at once)\n`);
      void runShutdown().finally(() => {
        process.exitCode = 130;
        process.exit();
      });
    });
  }
}
