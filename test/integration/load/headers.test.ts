import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../../src/config/sections/request.ts';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { runCommand } from '../../../src/process/run-command.ts';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import { type RecordedRequest, startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { readCsv, testConfig } from './helpers.ts';

// Request headers and API keys: every engine (raw HTTP, undici, worker processes, autocannon) and
// every protocol sends `load.headers` and `load.api_key` (as Authorization: Bearer); a 401/403 is
// an `auth` failure with the fix; the secrets never reach _config.yaml, _summary.json or the console.

const API_KEY = 'sk-test-SECRET-api-key-123';
const HEADER_SECRET = 'xk-SECRET-header-456';
const EXTRA = { 'X-Tenant': 'team-a', 'X-Api-Key': HEADER_SECRET };
const CHAT_REPLY = {
  choices: [{ message: { role: 'assistant', content: 'one two three' } }],
  usage: { prompt_tokens: 3, completion_tokens: 3 },
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ fallback: { body: CHAT_REPLY } });
  // Answers only a request with the right key, as an authenticated endpoint does.
  server.route('/auth/v1/chat/completions', (request) =>
    request.headers.authorization === `Bearer ${API_KEY}`
      ? { body: CHAT_REPLY }
      : { status: 401, body: { error: { message: 'invalid api key' } } },
  );
});
afterAll(() => server.close());

function expectHeaders(requests: RecordedRequest[]): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) {
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.headers['x-tenant']).toBe('team-a');
    expect(request.headers['x-api-key']).toBe(HEADER_SECRET);
  }
}

const secrets = [API_KEY, HEADER_SECRET];
function expectNoSecret(text: string): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('request headers', () => {
  it.each(['auto', 'undici'] as const)(
    'the %s transport sends them for every protocol, streamed or not',
    async (transport) => {
      const client = createProtocolClient({
        transport,
        headers: { authorization: `Bearer ${API_KEY}`, 'x-tenant': 'team-a', 'x-api-key': HEADER_SECRET },
      });
      try {
        for (const protocol of PROTOCOLS) {
          for (const stream of [true, false]) {
            const path = `/${transport}/${protocol}/${stream}`;
            await client.send(
              { url: `${server.url}${path}`, protocol, body: {}, name: path },
              { stream, timeoutMs: 5_000 },
            );
            expectHeaders(server.requests.filter((r) => r.url === path));
          }
        }
      } finally {
        await client.close();
      }
    },
  );

  it.each([
    ['one process', { workers: 1 }],
    ['worker processes', { workers: 2 }],
    ['autocannon', { engine: 'autocannon' }],
  ])('%s: sent with every request; secrets masked in _config.yaml and _summary.json', async (label, load) => {
    const path = `/run/${label.replace(' ', '-')}/v1/chat/completions`;
    server.route(path, { body: CHAT_REPLY });
    const config = testConfig(
      `${server.url}${path}`,
      { users: 2, requests: 8, stream: false, headers: EXTRA, api_key: API_KEY, ...load },
      { workload: { generator: 'synthetic', input_tokens: 8, output_tokens: 4 } },
    );
    const result = await runLoadTest(config);
    expect(result.summary.overall.requests).toMatchObject({ total: 8, ok: 8 });
    expectHeaders(server.requests.filter((r) => r.url === path));
    const saved = readFileSync(result.files.config, 'utf8');
    expectNoSecret(saved);
    expect(saved).toContain('X-Tenant: team-a');
    expect(saved).toMatch(/X-Api-Key: "?\*\*\*\*"?/);
    expect(saved).toMatch(/api_key: "?\*\*\*\*"?/);
    expectNoSecret(readFileSync(result.files.summary, 'utf8'));
  });

  it('a 401 is an auth failure whose message says which settings to fix', async () => {
    const client = createProtocolClient({ headers: { authorization: 'Bearer wrong' } });
    const url = `${server.url}/auth/v1/chat/completions`;
    const exchange = await client.send(
      { url, protocol: 'openai-chat', body: { messages: [] }, name: 'x' },
      { stream: true, timeoutMs: 5_000 },
    );
    await client.close();
    expect(exchange.failure?.kind).toBe('auth');
    expect(exchange.failure?.message).toMatch(/HTTP 401: invalid api key; .*--api-key.*OPENAI_API_KEY/);
    const config = testConfig(url, { engine: 'autocannon', stream: false, users: 1, requests: 3 });
    const result = await runLoadTest(config);
    expect(result.summary.overall.requests.failures_by_kind).toEqual({ auth: 3 });
    expect(readCsv(result.files.requests).rows[0]!.error_message).toContain('--api-key');
  });

  it('npm run load: --header and OPENAI_API_KEY reach the server; no secret on the console', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gait-headers-')), 'results');
    const endpoint = `${server.url}/auth/v1/chat/completions`;
    const argv = ['npx', 'zx', 'scripts/load.mts', '--endpoint', endpoint, '--requests', '4', '--users', '2'];
    argv.push(
      '--no-stream',
      '--out',
      out,
      '--header',
      'X-Tenant: team-a',
      '--header',
      `X-Api-Key: ${HEADER_SECRET}`,
    );
    const result = await runCommand(argv, {
      timeoutMs: 90_000,
      env: { ...process.env, OPENAI_API_KEY: API_KEY },
    });
    expect(result.exitCode).toBe(0);
    expectHeaders(server.requests.filter((r) => r.url === '/auth/v1/chat/completions').slice(-4));
    expectNoSecret(result.stdout + result.stderr);
    expect(result.stdout).toContain('4 requests, 0 failed');
    expectNoSecret(readFileSync(`${out}_config.yaml`, 'utf8'));
    expectNoSecret(readFileSync(`${out}_summary.json`, 'utf8'));
    const printed = await runCommand([...argv, '--print-config'], {
      timeoutMs: 90_000,
      env: { ...process.env, OPENAI_API_KEY: API_KEY },
    });
    expectNoSecret(printed.stdout + printed.stderr);
    expect(printed.stdout).toContain('X-Tenant: team-a');
  });
});
