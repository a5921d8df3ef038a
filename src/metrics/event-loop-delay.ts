import { monitorEventLoopDelay } from 'node:perf_hooks';

// The runner checks itself: how late this process's event loop ran timers during the run.

export interface LoopDelay {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const RESOLUTION_MS = 10;

/**
 * Starts sampling event-loop delay; stop() returns percentiles in ms. The histogram holds each
 * sampling timer's whole wait, so its interval (10 ms) is subtracted.
 */
export function startEventLoopMonitor(): { stop(): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const ms = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : 0);
      return {
        p50: ms(histogram.percentile(50)),
        p90: ms(histogram.percentile(90)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      };
    },
  };
}
