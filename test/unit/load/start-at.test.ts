import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { lateStartLine, parseStartAt, serverDateOffset } from '../../../src/load/start-at.ts';

// --start-at parsing and the clock check against the server's Date header (whole seconds only).

/** A server whose clock runs `offsetMs` ahead of ours, with a fixed round trip; time is simulated. */
function fakeServer(offsetMs: number, rttMs: number, start = 1_800_000_000_123) {
  let t = start;
  const fetchImpl = (async () => {
    t += rttMs / 2;
    const server = t + offsetMs;
    const date = new Date(Math.floor(server / 1000) * 1000).toUTCString();
    t += rttMs / 2;
    return new Response(null, { headers: { date } });
  }) as unknown as typeof fetch;
  return {
    fetchImpl,
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe('serverDateOffset', () => {
  it.each([0, 350, -720, 2400])(
    'finds an offset of %i ms to within the sampling step and round trip',
    async (offset) => {
      const s = fakeServer(offset, 4);
      const got = await serverDateOffset(
        'http://server:8080/v1/chat/completions',
        s.fetchImpl,
        s.now,
        s.sleep,
      );
      expect(got.roundTripMs).toBe(4);
      expect(Math.abs(got.offsetMs! - offset)).toBeLessThanOrEqual(20);
    },
  );

  it('no Date header: null offset, the round trip kept; no endpoint or no answer: nulls', async () => {
    const bare = (async () => new Response(null)) as unknown as typeof fetch;
    expect((await serverDateOffset('http://x:1/', bare)).offsetMs).toBeNull();
    expect(await serverDateOffset(undefined)).toEqual({ offsetMs: null, roundTripMs: null });
    const down = (async () => {
      throw new Error('ECONNREFUSED');
    }) as unknown as typeof fetch;
    expect(await serverDateOffset('http://x:1/', down)).toEqual({ offsetMs: null, roundTripMs: null });
  });
});

describe('parseStartAt and lateStartLine', () => {
  it('takes ISO times and rejects the rest with the format in the fix', () => {
    expect(parseStartAt('2026-11-29T20:00:00Z')).toBe(Date.UTC(2026, 10, 29, 20));
    for (const bad of ['20:00', 'tomorrow', '2026-13-01T00:00:00Z']) {
      expect(() => parseStartAt(bad)).toThrow(ToolkitError);
    }
  });

  it('a shard more than 100 ms late gets a line; on time, none', () => {
    expect(lateStartLine(50, 1)).toBeUndefined();
    expect(lateStartLine(2345, 3)).toMatch(/shard 3 was ready 2\.35 s after --start-at/);
  });
});
