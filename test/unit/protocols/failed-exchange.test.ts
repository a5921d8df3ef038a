import { describe, expect, it } from 'vitest';
import { toRequestRecord } from '../../../src/metrics/request-record.ts';
import { failedExchange } from '../../../src/protocols/failed-exchange.ts';

const info = {
  requestId: 'r',
  stage: 0,
  worker: 0,
  user: 0,
  name: '/x',
  runStart: 100,
  expectedInputTokens: 5,
};

describe('failedExchange', () => {
  it('is a failure with no status, tokens or bytes, timed from sent to seen-failed', () => {
    const record = toRequestRecord(failedExchange('timeout', 'no reply in 60s', 110, 170), {
      ...info,
      scheduledAt: 105,
    });
    expect(record).toMatchObject({
      ok: false,
      status: 0,
      error: 'timeout',
      errorMessage: 'no reply in 60s',
      sentMs: 10,
      endMs: 70,
      e2eMs: 60,
      scheduleDelayMs: 5,
      outputTokens: undefined,
      ttftMs: undefined,
      bytes: 0,
    });
  });

  it('an exchange whose body was not read (autocannon) has no client token count', () => {
    const exchange = {
      ...failedExchange('connection', 'x', 110, 120),
      ok: true,
      status: 200,
      unread: true as const,
    };
    delete exchange.failure;
    const record = toRequestRecord(exchange, { ...info, scheduledAt: 110 });
    expect(record).toMatchObject({ ok: true, outputTokens: undefined, outputTokensClient: undefined });
    expect(
      toRequestRecord({ ...exchange, unread: undefined }, { ...info, scheduledAt: 110 }).outputTokens,
    ).toBe(0);
  });
});
