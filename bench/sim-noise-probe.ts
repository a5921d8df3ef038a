import { monitorEventLoopDelay } from 'node:perf_hooks';

// Noise floor: an idle process measuring its own event-loop stalls for `seconds`, to tell the
// machine's pauses from the simulator's own lag. Prints p50/p90/p99/max in ms as one JSON line.
const seconds = Number(process.argv[2] ?? '5');
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const keepAlive = setInterval(() => {}, 1000);
setTimeout(() => {
  histogram.disable();
  clearInterval(keepAlive);
  // The histogram includes the 1 ms sampling interval itself: subtract it.
  const ms = (p: number) => Math.max(0, histogram.percentile(p) / 1e6 - 1);
  process.stdout.write(
    `${JSON.stringify({ p50: ms(50), p90: ms(90), p99: ms(99), max: Math.max(0, histogram.max / 1e6 - 1) })}\n`,
  );
}, seconds * 1000);
