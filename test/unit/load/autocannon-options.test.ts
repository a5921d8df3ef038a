import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.ts';
import { autocannonOptions, checkAutocannonPlan } from '../../../src/load/autocannon-engine.ts';
import { planLoad } from '../../../src/load/plan.ts';

const plan = (load: Record<string, unknown>) => planLoad(configSchema.parse({ load }).load);
const pool = [
  { url: 'http://127.0.0.1:8080/v1/embeddings?x=1', body: '{"input":"a"}' },
  { url: 'http://127.0.0.1:8080/v1/embeddings?x=1', body: '{"input":"b"}' },
];

describe('autocannon options', () => {
  it('map users, duration and the request pool', () => {
    const o = autocannonOptions(
      plan({ users: 16, duration: '30s', stream: false }),
      pool,
      'application/json',
    );
    expect(o).toMatchObject({ url: 'http://127.0.0.1:8080', connections: 16, duration: 30, timeout: 600 });
    expect(o.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/v1/embeddings?x=1', '{"input":"a"}'],
      ['POST', '/v1/embeddings?x=1', '{"input":"b"}'],
    ]);
    expect('overallRate' in o).toBe(false);
  });

  it('map an open loop to an overall rate and a request count to amount', () => {
    const o = autocannonOptions(
      plan({ rate: 500, requests: 10_000, max_concurrency: 32, stream: false }),
      pool,
      'application/json',
    );
    expect(o).toMatchObject({ connections: 32, overallRate: 500, amount: 10_000 });
  });

  it('refuse streamed and staged plans', () => {
    expect(() => checkAutocannonPlan(plan({ users: 1 }))).toThrow(/streamed/);
    expect(() =>
      checkAutocannonPlan(
        plan({
          stream: false,
          stages: [
            { duration: '1s', users: 1 },
            { duration: '1s', users: 2 },
          ],
        }),
      ),
    ).toThrow(/one stage/);
  });
});
