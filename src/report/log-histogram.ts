// A fixed-size histogram with logarithmic bins (each bin `growth` times wider than the last):
// constant memory however many values it holds, percentiles within one bin width. The report keeps
// one per metric and per time bucket while streaming `_requests.csv`.

const MIN_VALUE = 0.001;

/** Counts of values in log-spaced bins from 0.001 up; values below go to bin 0. */
export class LogHistogram {
  readonly counts: Uint32Array;
  readonly growth: number;
  count = 0;
  private readonly logGrowth: number;

  constructor(growth = 1.02, maxValue = 1e8) {
    this.growth = growth;
    this.logGrowth = Math.log(growth);
    this.counts = new Uint32Array(Math.ceil(Math.log(maxValue / MIN_VALUE) / this.logGrowth) + 1);
  }

  /** Adds a value (non-finite and negative values are ignored). */
  record(value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) return;
    this.counts[this.binOf(value)]!++;
    this.count++;
  }

  /** The bin a value falls in. */
  binOf(value: number): number {
    if (value <= MIN_VALUE) return 0;
    const bin = Math.floor(Math.log(value / MIN_VALUE) / this.logGrowth) + 1;
    return Math.min(bin, this.counts.length - 1);
  }

  /** The upper edge of a bin. */
  upper(bin: number): number {
    return MIN_VALUE * this.growth ** bin;
  }

  /** The value at percentile p (0-100): the geometric middle of its bin; null when empty. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let bin = 0; bin < this.counts.length; bin++) {
      seen += this.counts[bin]!;
      if (seen >= rank) return bin === 0 ? MIN_VALUE : this.upper(bin) / Math.sqrt(this.growth);
    }
    return this.upper(this.counts.length - 1);
  }

  /** Cumulative share at the upper edge of each non-empty bin: a CDF with at most `points` points. */
  cdf(points = 200): { value: number; share: number }[] {
    if (this.count === 0) return [];
    const first = this.counts.findIndex((c) => c > 0);
    let last = this.counts.length - 1;
    while (this.counts[last] === 0) last--;
    const step = Math.max(1, Math.ceil((last - first + 1) / points));
    const out: { value: number; share: number }[] = [];
    let seen = 0;
    for (let bin = 0; bin <= last; bin++) {
      seen += this.counts[bin]!;
      if (bin >= first && ((bin - first) % step === step - 1 || bin === last)) {
        out.push({ value: this.upper(bin), share: seen / this.count });
      }
    }
    return out;
  }

  /**
   * The counts regrouped into about `bins` equal-width bins from 0 up to the 99.9th percentile (the
   * tail beyond it goes to the last bin), for a histogram chart.
   */
  linearBins(bins = 50): { start: number; end: number; count: number }[] {
    const top = this.percentile(99.9);
    if (top === null) return [];
    const width = niceStep(top / bins);
    const n = Math.max(1, Math.ceil(top / width));
    const out = Array.from({ length: n }, (_, i) => ({ start: i * width, end: (i + 1) * width, count: 0 }));
    for (let bin = 0; bin < this.counts.length; bin++) {
      const c = this.counts[bin]!;
      if (!c) continue;
      const mid = bin === 0 ? 0 : this.upper(bin) / Math.sqrt(this.growth);
      out[Math.min(n - 1, Math.floor(mid / width))]!.count += c;
    }
    return out;
  }
}

/** A round step (1, 2 or 5 times a power of ten) at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
