import { describe, expect, it } from 'vitest';
import { toRequestRecord } from '../../../src/metrics/request-record.ts';
import type { Exchange } from '../../../src/protocols/types.ts';

const info = {
  requestId: '7',
  stage: 0,
  worker: 1,
  user: 3,
  name: '/v1/chat/completions',
  scheduledAt: 1000,
  runStart: 900,
  expectedInputTokens: 12,
};

function exchange(over: Partial<Exchange> = {}): Exchange {
  return {
    sentAt: 1002,
    firstTokenAt: 1052,
    endAt: 1092,
    status: 200,
    ok: true,
    tokenTimes: [1052, 1062, 1072, 1082, 1092],
    serverPromptTokens: 10,
    serverOutputTokens: 5,
    clientOutputTokens: 5,
    streamed: true,
    bytes: 400,
    ...over,
  };
}

describe('toRequestRecord', () => {
  it('derives TTFT, ITL, TPOT, NTPOT and E2E with vLLM definitions', () => {
    const r = toRequestRecord(exchange(), info);
    expect(r.ttftMs).toBe(50);
    expect(r.e2eMs).toBe(90);
    expect(r.itlMs).toEqual([10, 10, 10, 10]);
    expect(r.tpotMs).toBe((90 - 50) / 4);
    expect(r.ntpotMs).toBe(90 / 5);
    expect(r.scheduleDelayMs).toBe(2);
    expect(r.e2eFromScheduledMs).toBe(92);
    expect(r.ttftFromScheduledMs).toBe(52);
  });

  it('gives times relative to the run start', () => {
    const r = toRequestRecord(exchange(), info);
    expect([r.scheduledMs, r.sentMs, r.firstTokenMs, r.endMs]).toEqual([100, 102, 152, 192]);
  });

  it('prefers server token counts, keeps both, and reports the mismatch', () => {
    const r = toRequestRecord(exchange({ serverOutputTokens: 6 }), info);
    expect(r.outputTokens).toBe(6);
    expect(r.outputTokensServer).toBe(6);
    expect(r.outputTokensClient).toBe(5);
    expect(r.outputTokensMismatch).toBe(1);
    expect(r.promptTokens).toBe(10);
    expect(r.promptTokensClient).toBe(12);
  });

  it('falls back to client counts when the server sent no usage', () => {
    const r = toRequestRecord(
      exchange({ serverOutputTokens: undefined, serverPromptTokens: undefined }),
      info,
    );
    expect(r.outputTokens).toBe(5);
    expect(r.outputTokensMismatch).toBeUndefined();
    expect(r.promptTokens).toBe(12);
  });

  it('gives a non-streamed reply no TTFT or ITL, never a made-up one', () => {
    const r = toRequestRecord(
      exchange({ streamed: false, firstTokenAt: undefined, tokenTimes: [], serverOutputTokens: 5 }),
      info,
    );
    expect(r.ttftMs).toBeUndefined();
    expect(r.tpotMs).toBeUndefined();
    expect(r.itlMs).toEqual([]);
    expect(r.ntpotMs).toBe(18);
  });

  it('gives a failure its kind and times but no token metrics', () => {
    const r = toRequestRecord(
      exchange({ ok: false, status: 500, failure: { kind: 'http_status', message: 'HTTP 500: boom' } }),
      info,
    );
    expect(r.error).toBe('http_status');
    expect(r.errorMessage).toBe('HTTP 500: boom');
    expect(r.ttftMs).toBeUndefined();
    expect(r.outputTokens).toBeUndefined();
    expect(r.itlMs).toEqual([]);
    expect(r.e2eMs).toBe(90);
  });

  it('has no TPOT for a one-token reply', () => {
    const r = toRequestRecord(
      exchange({ tokenTimes: [1052], serverOutputTokens: 1, clientOutputTokens: 1 }),
      info,
    );
    expect(r.tpotMs).toBeUndefined();
    expect(r.ntpotMs).toBe(90);
  });
});
