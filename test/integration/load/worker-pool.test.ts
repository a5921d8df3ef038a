import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { configSchema } from '../../../src/config/index.ts';
import { planLoad } from '../../../src/load/plan.ts';
import { runWorkers } from '../../../src/load/worker-pool.ts';

// The worker pool with stand-in worker programs (real child processes speaking the pool's messages).

const STOP_COUNTING = fileURLToPath(
  new URL('../../fixtures/workers/stop-counting-worker.ts', import.meta.url),
);

it('a worker failing while the run is stopped tells each other worker to stop once, and waits for it', async () => {
  // The runner stops the run when a worker fails (as run-load-test does): one `stop` per worker, not
  // one per cause. A second, written after the worker closed its channel, failed with EPIPE and ended
  // the pool before that worker's last records came (records counted but not written).
  const config = configSchema.parse({ endpoint_url: 'http://127.0.0.1:9/v1/chat/completions' });
  const plan = planLoad({ ...config.load, users: 2, workers: 2, duration: 20 });
  // The stand-ins send nothing, so their shares of the schedule do not matter.
  const share = { indices: [], offsetsMs: [], stages: [] };
  const stop = new AbortController();
  const exceptions: string[] = [];
  const result = await runWorkers(
    {
      config,
      plan,
      shares: [share, share],
      signal: stop.signal,
      onRecord: () => {},
      onException: (message) => exceptions.push(message),
      entry: STOP_COUNTING,
    },
    () => Date.now(),
    () => stop.abort(),
  );
  expect(result.failure?.message).toMatch(/load worker 1 failed: stand-in worker died/);
  expect(exceptions).toEqual(['stops: 1']);
  expect(result.eventLoop).toHaveLength(1);
}, 20_000);
