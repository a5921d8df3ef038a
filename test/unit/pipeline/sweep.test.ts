import { describe, expect, it } from 'vitest';
import { saturationReason } from '../../../src/pipeline/sweep.ts';
import { stageSummary } from '../../helpers/stage-summary.ts';

const spec = { min_served_share: 0.9, min_gain: 0.1, max_failed_share: 0.05 };
const served = (rps: number, failed = 0) =>
  stageSummary({ requests: { total: 100, ok: 100 - failed, failed }, throughput: { requests_per_s: rps } });

describe('saturationReason', () => {
  it('rates: goes on while the server serves at least 90 % of the rate', () => {
    expect(saturationReason({ ...spec, rates: [4] }, 4, served(3.7), undefined)).toBeUndefined();
    expect(saturationReason({ ...spec, rates: [8] }, 8, served(5.1), served(4))).toMatch(
      /served 5.10 req\/s < 90 % of the requested 8 req\/s/,
    );
  });

  it('users: stops when throughput grows less than min_gain over the previous step', () => {
    expect(saturationReason({ ...spec }, 4, served(20), served(10))).toBeUndefined();
    expect(saturationReason({ ...spec }, 8, served(21), served(20))).toMatch(/less than 10 % above/);
    expect(saturationReason({ ...spec }, 1, served(5), undefined)).toBeUndefined();
  });

  it('stops on a failure share over the limit, whatever the throughput', () => {
    expect(saturationReason({ ...spec, rates: [4] }, 4, served(4, 6), undefined)).toMatch(
      /6.0 % of requests failed/,
    );
    expect(saturationReason({ ...spec, rates: [4] }, 4, served(4, 5), undefined)).toBeUndefined();
  });
});
