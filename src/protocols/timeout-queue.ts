import { performance } from 'node:perf_hooks';

// Whole-request timeouts of many requests with the same limit on one timer. Requests join in the
// order they are sent, so the first one still waiting is always the next to expire: joining and
// leaving are a Set add and delete, where a Node timer per request cost ~1 µs more (its object, its
// list insert and removal) on the runner's hot path.

/** What a TimeoutQueue holds: its deadline is set on joining, `expire` is called once it passes. */
export interface Expiring {
  deadline: number;
  expire(): void;
}

/** Requests sharing one timeout, expired in the order they joined. */
export class TimeoutQueue<T extends Expiring> {
  readonly timeoutMs: number;
  private readonly waiting = new Set<T>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  constructor(timeoutMs: number, now: () => number = () => performance.now()) {
    this.timeoutMs = timeoutMs;
    this.now = now;
  }

  /** Starts `item`'s timeout now. */
  add(item: T): void {
    item.deadline = this.now() + this.timeoutMs;
    this.waiting.add(item);
    // An armed timer is due at the first item's deadline, never later than this one's.
    if (!this.timer) this.arm(this.timeoutMs);
  }

  /** `item` finished in time (or was stopped); the timer goes with the last one, so none outlives them. */
  delete(item: T): void {
    if (!this.waiting.delete(item) || this.waiting.size > 0 || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** How many are waiting (for tests). */
  get size(): number {
    return this.waiting.size;
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer); // one joined while expiring: due later than the first
    this.timer = setTimeout(() => this.fire(), ms);
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.now();
    for (const item of this.waiting) {
      // The timer's clock runs a little behind performance.now(): not yet due means wait again.
      if (item.deadline > now) {
        this.arm(item.deadline - now);
        return;
      }
      this.waiting.delete(item);
      item.expire();
    }
  }
}
