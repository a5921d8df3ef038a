import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import { chatChunk, sse, usageChunk } from '../../helpers/test-server.ts';
import { chatFactory, readCsv, testConfig } from './helpers.ts';

// Known timing on a loopback server: role-only chunk at 5 ms, 8 content chunks from 40 ms every 15 ms,
// then usage and [DONE] in the same write as the end of the reply. The server records when it wrote
// each content chunk and when it ended; measured TTFT, ITL, TPOT, E2E and token counts must match.

const TOKENS = 8;
interface Truth {
  receivedAt: number;
  contentAt: number[];
  endAt: number;
}
const truths: Truth[] = [];
let server: Server;
let base = '';

function reply(res: ServerResponse, truth: Truth): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.flushHeaders();
  let i = -1;
  const step = () => {
    if (i === -1) res.write(sse(chatChunk()));
    else if (i < TOKENS) {
      truth.contentAt.push(performance.now());
      res.write(sse(chatChunk(`t${i} `)));
    }
    if (i === TOKENS - 1) {
      truth.endAt = performance.now();
      res.end(sse(usageChunk(11, TOKENS), '[DONE]'));
      return;
    }
    i++;
    setTimeout(step, Math.max(0, truth.receivedAt + 40 + 15 * i - performance.now()));
  };
  setTimeout(step, 5);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/completions') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ choices: [{ text: 'a b c' }], usage: { prompt_tokens: 4, completion_tokens: 3 } }),
        );
        return;
      }
      const truth: Truth = { receivedAt: performance.now(), contentAt: [], endAt: 0 };
      truths.push(truth);
      reply(res, truth);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const p = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((q / 100) * s.length))]!;
};

describe('runLoadTest against a server with known timing', () => {
  it('measures TTFT, ITL, TPOT, E2E and token counts within 2 ms of the truth', async () => {
    const url = `${base}/v1/chat/completions`;
    // One user, so the server's requests and the rows come in the same order (this server streams
    // a reply to any path, so the runner's GET /metrics scrapes are turned off).
    const config = testConfig(
      url,
      { users: 1, requests: 40, warmup_requests: 2 },
      { telemetry: { server_metrics: false } },
    );
    const client = createProtocolClient({ connections: 1 });
    const result = await runLoadTest(config, { client, factory: chatFactory(url) });
    await client.close();

    const { rows } = readCsv(result.files.requests);
    expect(rows.length).toBe(40);
    const truth = truths.slice(-40);
    // Truth per request: the server's content writes and end, from the request's arrival.
    const ttftErr: number[] = [];
    const e2eErr: number[] = [];
    const itlMeanErr: number[] = [];
    for (const [i, row] of rows.entries()) {
      expect(row.status).toBe('200');
      expect(row.error).toBe('');
      expect(row, JSON.stringify(row)).toMatchObject({ output_tokens: String(TOKENS) });
      expect(row.output_tokens_server).toBe(String(TOKENS));
      expect(row.output_tokens_client).toBe(String(TOKENS));
      expect(row.output_tokens_mismatch).toBe('0');
      expect(row.prompt_tokens).toBe('11');
      expect(row.prompt_tokens_client).toBe('3');
      const t = truth[i]!;
      // The first two (warm-up: connection set-up, JIT) are kept out of the error percentiles.
      if (i < 2) continue;
      ttftErr.push(Math.abs(Number(row.ttft_ms) - (t.contentAt[0]! - t.receivedAt)));
      e2eErr.push(Math.abs(Number(row.e2e_ms) - (t.endAt - t.receivedAt)));
      const trueMean = (t.contentAt[TOKENS - 1]! - t.contentAt[0]!) / (TOKENS - 1);
      itlMeanErr.push(Math.abs(Number(row.itl_mean_ms) - trueMean));
      const tpot = (Number(row.e2e_ms) - Number(row.ttft_ms)) / (TOKENS - 1);
      expect(Number(row.tpot_ms)).toBeCloseTo(tpot, 2);
      expect(Number(row.ntpot_ms)).toBeCloseTo(Number(row.e2e_ms) / TOKENS, 2);
    }
    // The truth starts when the server has the request, the measurement when the client sent it, so
    // TTFT and E2E errors include the request's trip through loopback and both event loops (one
    // process): on an idle VM ~1-1.5 ms at p50, with a tail that follows the VM's speed (p90 2.2-4.1 ms
    // on 2026-11-29 evening for that morning's code too, on Node 20 and 24, which passed under 2 ms
    // earlier the same day). The bounds leave that room and still catch a timestamp taken at the wrong
    // moment (after the body, per read instead of per event: tens of ms). ITL, which has no request
    // trip in it, keeps 2 ms; the sub-ms accuracy figures are bench/load-streaming.ts's.
    expect(p(ttftErr, 50)).toBeLessThan(3);
    expect(p(ttftErr, 90)).toBeLessThan(6);
    expect(p(e2eErr, 50)).toBeLessThan(3);
    expect(p(e2eErr, 90)).toBeLessThan(6);
    expect(p(itlMeanErr, 90)).toBeLessThan(2);

    const s = result.summary;
    expect(s.overall.requests).toMatchObject({ total: 38, ok: 38, failed: 0 });
    expect(s.requests_excluded.warmup).toBe(2);
    const itl = s.overall.latency.itl_ms;
    expect(itl.count).toBe(38 * (TOKENS - 1));
    // True gaps: every consecutive pair of content writes.
    const trueGaps = truth.slice(2).flatMap((t) => t.contentAt.slice(1).map((w, k) => w - t.contentAt[k]!));
    expect(Math.abs(itl.p50! - p(trueGaps, 50))).toBeLessThan(2);
    expect(Math.abs(itl.p90! - p(trueGaps, 90))).toBeLessThan(2);
    expect(s.overall.tokens).toMatchObject({ input_total: 38 * 11, output_total: 38 * TOKENS });
    expect(s.overall.throughput.output_tokens_per_s).toBeGreaterThan(0);
    // The effective config is saved beside the results and embedded in the summary.
    expect(readFileSync(result.files.config, 'utf8')).toMatch(/endpoint_url:/);
    expect((s.config as { load: { users: number } }).load.users).toBe(1);
  });

  it('gives non-streamed requests empty TTFT and ITL cells', async () => {
    const url = `${base}/v1/completions`;
    const config = testConfig(
      url,
      { users: 1, requests: 3, stream: false },
      { server: { hf_token: 'hf_secret' } },
    );
    const client = createProtocolClient({ connections: 1 });
    const factory = {
      tokenCounter: 'test',
      next: () => ({
        url,
        protocol: 'openai-completions' as const,
        body: { prompt: 'x' },
        name: '/v1/completions',
      }),
    };
    const result = await runLoadTest(config, { client, factory });
    await client.close();
    const { rows } = readCsv(result.files.requests);
    expect(rows.map((r) => [r.ttft_ms, r.first_token_ms, r.itl_mean_ms, r.tpot_ms, r.output_tokens])).toEqual(
      Array(3).fill(['', '', '', '', '3']),
    );
    expect(result.summary.overall.latency.ttft_ms.count).toBe(0);
    expect(result.summary.overall.latency.ttft_ms.p50).toBeNull();
    // Secrets are masked in the saved and embedded config.
    expect(readFileSync(result.files.config, 'utf8')).not.toMatch(/hf_secret/);
    expect((result.summary.config as { server: { hf_token: string } }).server.hf_token).toBe('****');
  });
});
