import * as hdr from 'hdr-histogram-js';

// One latency (or length) metric: exact count, mean, min and max, and percentiles from an HDR
// histogram kept in microseconds (3 significant digits: 0.1 % error). Merging two is exact.

/** The distribution fields every metric reports; null where nothing was measured. */
export interface Distribution {
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
}

/** A MetricHistogram in a lossless JSON form: the exact count, sum, min and max, and the HDR counts. */
export interface EncodedHistogram {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** hdr-histogram-js's compressed base64 (HdrHistogram's V2 encoding); null when empty. */
  hdr: string | null;
}

/** A distribution with nothing measured (every statistic null). */
export const EMPTY_DISTRIBUTION: Readonly<Distribution> = Object.freeze({
  count: 0,
  mean: null,
  min: null,
  max: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
  p999: null,
});

const SCALE = 1000;
const BIT_BUCKET_SIZE = 32;

export class MetricHistogram {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly histogram = hdr.build({ bitBucketSize: BIT_BUCKET_SIZE, numberOfSignificantValueDigits: 3 });

  /** Adds one value (ms, or tokens); negative and non-finite values are ignored. */
  record(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.histogram.recordValue(Math.round(value * SCALE));
  }

  /** The value at percentile p (0-100), in the recorded unit; null when empty. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    if (p >= 100) return this.max;
    return Math.min(this.max, Math.max(this.min, this.histogram.getValueAtPercentile(p) / SCALE));
  }

  /** Adds another histogram's values (worker results, stage into overall). */
  merge(other: MetricHistogram): void {
    if (other.count === 0) return;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.histogram.add(other.histogram);
  }

  /** The lossless form (for shard results a merge adds up). */
  encode(): EncodedHistogram {
    const empty = this.count === 0;
    return {
      count: this.count,
      sum: this.sum,
      min: empty ? null : this.min,
      max: empty ? null : this.max,
      hdr: empty ? null : hdr.encodeIntoCompressedBase64(this.histogram),
    };
  }

  /** A histogram back from its lossless form; merging decoded ones equals recording every value once. */
  static decode(encoded: EncodedHistogram): MetricHistogram {
    const out = new MetricHistogram();
    if (encoded.count === 0 || encoded.hdr === null) return out;
    out.count = encoded.count;
    out.sum = encoded.sum;
    out.min = encoded.min ?? Number.POSITIVE_INFINITY;
    out.max = encoded.max ?? Number.NEGATIVE_INFINITY;
    const counts = hdr.decodeFromCompressedBase64(encoded.hdr, BIT_BUCKET_SIZE);
    out.histogram.add(counts);
    counts.destroy();
    return out;
  }

  summary(): Distribution {
    const empty = this.count === 0;
    return {
      count: this.count,
      mean: empty ? null : this.sum / this.count,
      min: empty ? null : this.min,
      max: empty ? null : this.max,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
    };
  }
}
