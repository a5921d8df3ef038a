import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/sim/start-simulator.ts';
import { get, metricValue, post } from './helpers.ts';

// Each fault mode, through the real HTTP interface.
const stream = (maxTokens: number) => ({
  model: 'm',
  max_tokens: maxTokens,
  ignore_eos: true,
  stream: true,
  messages: [{ role: 'user', content: 'hi' }],
});
const tokenEvents = <T extends { data: string }>(data: T[]): T[] =>
  data.filter((e) => /"content":"[^"]/.test(e.data));

describe('fault injection', () => {
  it('error rate: every request fails with a configured status, in each family format', async () => {
    const sim = await startSimulator({ ttftMs: 1, itlMs: 1, errorRate: 1, errorStatuses: [503] });
    try {
      const openai = await post(`${sim.url}/v1/chat/completions`, stream(3));
      expect(openai.status).toBe(503);
      expect(JSON.parse(openai.body).error).toMatchObject({ code: 503, type: 'ServiceUnavailableError' });
      const triton = await post(`${sim.url}/v2/models/m/generate`, { text_input: 'x', max_tokens: 2 });
      expect(triton.status).toBe(503);
      expect(typeof JSON.parse(triton.body).error).toBe('string');
      const m = (await get(`${sim.url}/metrics`)).text;
      expect(metricValue(m, 'sim_http_errors_total', 'status="503"')).toBe(2);
    } finally {
      await sim.close();
    }
  });

  it('error rate: a share of requests fails, with the statuses drawn from the list', async () => {
    const sim = await startSimulator({
      ttftMs: 0,
      itlMs: 0,
      errorRate: 0.3,
      errorStatuses: [500, 429],
      seed: 7,
    });
    try {
      const rs = await Promise.all(
        Array.from({ length: 200 }, () => post(`${sim.url}/v1/completions`, { prompt: 'x', max_tokens: 1 })),
      );
      const byStatus = new Map<number, number>();
      for (const r of rs) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      const failed = (byStatus.get(500) ?? 0) + (byStatus.get(429) ?? 0);
      expect(failed).toBeGreaterThan(35);
      expect(failed).toBeLessThan(85);
      expect(byStatus.get(500)).toBeGreaterThan(0);
      expect(byStatus.get(429)).toBeGreaterThan(0);
      expect(byStatus.get(200)).toBe(200 - failed);
    } finally {
      await sim.close();
    }
  });

  it('cut: the stream ends after N tokens without [DONE], and the slot is freed', async () => {
    const sim = await startSimulator({ ttftMs: 5, itlMs: 2, cutRate: 1, cutAfterTokens: 3 });
    try {
      const r = await post(`${sim.url}/v1/chat/completions`, stream(10));
      expect(r.status).toBe(200);
      expect(r.broken).toBe(true);
      expect(tokenEvents(r.events)).toHaveLength(3);
      expect(r.body).not.toContain('[DONE]');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const m = (await get(`${sim.url}/metrics`)).text;
      expect(metricValue(m, 'vllm:num_requests_running')).toBe(0);
      expect(metricValue(m, 'vllm:request_success_total', 'finished_reason="abort"')).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('stall: a gap of stallMs after stallAfterTokens tokens', async () => {
    const sim = await startSimulator({
      ttftMs: 5,
      itlMs: 5,
      stallRate: 1,
      stallMs: 200,
      stallAfterTokens: 2,
    });
    try {
      const r = await post(`${sim.url}/v1/chat/completions`, stream(5));
      const t = tokenEvents(r.events).map((e) => e.at);
      expect(t).toHaveLength(5);
      // Schedule: tokens at 5, 10, then +200 ms: 215, 220 (a late machine can only delay, never advance).
      const at = t.map((x) => x - r.sentAt);
      expect(at[1]).toBeLessThan(150);
      expect(at[2]).toBeGreaterThanOrEqual(214);
      expect(at[3]! - at[2]!).toBeLessThan(100);
    } finally {
      await sim.close();
    }
  });

  it('slow: requests are held slowMs before the engine sees them', async () => {
    const sim = await startSimulator({ ttftMs: 10, itlMs: 1, slowRate: 1, slowMs: 150 });
    try {
      const r = await post(`${sim.url}/v1/chat/completions`, stream(2));
      const first = tokenEvents(r.events)[0]!.at - r.sentAt;
      expect(first).toBeGreaterThan(158);
      expect(first).toBeLessThan(1000);
    } finally {
      await sim.close();
    }
  });

  it('startup: health and requests answer 503 until startupMs have passed', async () => {
    const sim = await startSimulator({ ttftMs: 1, itlMs: 1, startupMs: 300 });
    try {
      expect((await get(`${sim.url}/health`)).status).toBe(503);
      expect((await get(`${sim.url}/v2/health/ready`)).status).toBe(503);
      expect((await get(`${sim.url}/ping`)).status).toBe(503);
      expect((await post(`${sim.url}/v1/completions`, { prompt: 'x', max_tokens: 1 })).status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 320));
      expect((await get(`${sim.url}/health`)).status).toBe(200);
      expect((await get(`${sim.url}/v2/health/ready`)).status).toBe(200);
      expect((await post(`${sim.url}/v1/completions`, { prompt: 'x', max_tokens: 1 })).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('a client that goes away mid-stream frees its slot (abort counted)', async () => {
    const sim = await startSimulator({ ttftMs: 5, itlMs: 20, maxNumSeqs: 1 });
    try {
      const controller = new AbortController();
      const res = await fetch(`${sim.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify(stream(100)),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      let m = '';
      for (let i = 0; i < 200; i++) {
        m = (await get(`${sim.url}/metrics`)).text;
        if (metricValue(m, 'vllm:request_success_total', 'finished_reason="abort"') === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(metricValue(m, 'vllm:request_success_total', 'finished_reason="abort"')).toBe(1);
      expect(metricValue(m, 'vllm:num_requests_running')).toBe(0);
      // The aborted stream would have held the only slot for 100 x 20 ms.
      const r = await post(`${sim.url}/v1/chat/completions`, stream(2));
      expect(r.status).toBe(200);
      expect(tokenEvents(r.events)[0]!.at - r.sentAt).toBeLessThan(500);
    } finally {
      await sim.close();
    }
  });
});
