// The engine's one timer: armed for an absolute time (performance.now() clock), re-armed only when
// asked for an earlier time. Node timers fire on whole milliseconds of a cached loop clock, so when
// `precise` is set the last stretch (under SPIN_MS) is waited with setImmediate instead.
const SPIN_MS = 1.5;

/** One pending wake-up at a time. */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private at = 0;

  private readonly clock: () => number;
  constructor(clock: () => number) {
    this.clock = clock;
  }

  /** Calls `fire` at `at` unless a wake-up at or before `at` is already pending. */
  arm(at: number, fire: () => void, precise: boolean): void {
    if (this.timer || this.immediate) {
      if (this.at <= at) return;
      this.disarm();
    }
    this.at = at;
    const delay = at - this.clock();
    const run = () => {
      this.timer = undefined;
      this.immediate = undefined;
      fire();
    };
    if (precise && delay <= SPIN_MS) {
      // Not unref'd: an unref'd immediate would let the loop block in poll past the due time.
      this.immediate = setImmediate(run);
    } else {
      // Never negative (an overdue wake-up): Node would warn (TimeoutNegativeWarning) and use 1 ms.
      this.timer = setTimeout(run, Math.max(0, Math.floor(delay - 1)));
      this.timer.unref();
    }
  }

  /** Cancels the pending wake-up. */
  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
