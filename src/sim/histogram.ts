// A Prometheus histogram: cumulative buckets with fixed upper bounds, a sum and a count.
export class PromHistogram {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  readonly bounds: readonly number[];
  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }

  /** Adds one observation (seconds, for the latency histograms). */
  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  /** Exposition lines: `name_bucket{le=..}` (cumulative), `name_sum`, `name_count`. */
  render(name: string, labels: string): string {
    let out = '';
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      out += `${name}_bucket{${labels},le="${formatNumber(this.bounds[i]!)}"} ${cumulative}\n`;
    }
    out += `${name}_bucket{${labels},le="+Inf"} ${this.count}\n`;
    out += `${name}_sum{${labels}} ${formatNumber(this.sum)}\n`;
    out += `${name}_count{${labels}} ${this.count}\n`;
    return out;
  }
}

/** Prometheus float text: integers without a point, others as JavaScript prints them. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}
