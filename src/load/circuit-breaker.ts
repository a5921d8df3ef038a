// The optional circuit breaker (inference-perf has one): the share of failed requests among those
// that finished in the last `windowMs` passing `maxFailureShare`, once the window holds at least
// `minRequests`, stops the run. Failures keep being counted honestly until then. Pure: times are given.

/** Circuit breaker settings (config load.circuit_breaker, window in ms). */
export interface BreakerSettings {
  windowMs: number;
  maxFailureShare: number;
  minRequests: number;
}

/** Counts finished requests in a sliding window; `add` returns why it tripped, once. */
export class CircuitBreaker {
  private readonly times: number[] = [];
  private readonly failed: boolean[] = [];
  private head = 0;
  private failures = 0;
  private tripped = false;
  private readonly settings: BreakerSettings;

  constructor(settings: BreakerSettings) {
    this.settings = settings;
  }

  /** One finished request at `nowMs`; the reason to stop the run the first time the limit is passed. */
  add(nowMs: number, failed: boolean): string | undefined {
    this.times.push(nowMs);
    this.failed.push(failed);
    if (failed) this.failures++;
    const from = nowMs - this.settings.windowMs;
    while (this.head < this.times.length && this.times[this.head]! < from) {
      if (this.failed[this.head]) this.failures--;
      this.head++;
    }
    if (this.head > 4096) {
      this.times.splice(0, this.head);
      this.failed.splice(0, this.head);
      this.head = 0;
    }
    const count = this.times.length - this.head;
    if (this.tripped || count < this.settings.minRequests) return undefined;
    const share = this.failures / count;
    if (share <= this.settings.maxFailureShare) return undefined;
    this.tripped = true;
    return (
      `circuit breaker: ${this.failures} of the last ${count} requests failed within ` +
      `${this.settings.windowMs / 1000} s (${(share * 100).toFixed(0)}% > ${this.settings.maxFailureShare * 100}%)`
    );
  }
}
