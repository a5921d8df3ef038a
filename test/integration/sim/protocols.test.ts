import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSimulator } from '../../../src/sim/start-simulator.ts';
import { get, metricValue, post } from './helpers.ts';

// Every protocol against the real HTTP interface: shapes, SSE framing, error bodies, /metrics.
let sim: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
  sim = await startSimulator({
    ttftMs: 5,
    itlMs: 1,
    maxModelLen: 4096,
    kvCacheTokens: 65536,
    embeddingDim: 8,
  });
});
afterAll(() => sim.close());

const chunks = (events: { data: string }[]) =>
  // biome-ignore lint/suspicious/noExplicitAny: reply JSON is checked field by field below
  events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as Record<string, any>);

describe('OpenAI-compatible (vLLM)', () => {
  it('chat completion: JSON shape and usage', async () => {
    const r = await post(`${sim.url}/v1/chat/completions`, {
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'Tell me a story about a river.' }],
    });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'm',
      choices: [{ index: 0, finish_reason: 'length' }],
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.choices[0].message.role).toBe('assistant');
    expect(body.choices[0].message.content.trim().split(' ')).toHaveLength(5);
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 5);
    expect(body.usage.prompt_tokens).toBeGreaterThan(5);
  });

  it('chat stream: role chunk, one chunk per token, finish_reason on the last, usage chunk, [DONE]', async () => {
    const r = await post(`${sim.url}/v1/chat/completions`, {
      model: 'm',
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }],
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(r.body.endsWith('data: [DONE]\n\n')).toBe(true);
    const c = chunks(r.events);
    expect(c[0]!.choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const content = c.filter((x) => x.choices[0]?.delta?.content);
    expect(content).toHaveLength(4);
    expect(content.slice(0, 3).every((x) => x.choices[0].finish_reason === null)).toBe(true);
    expect(content[3]!.choices[0].finish_reason).toBe('length');
    const usage = c.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage.completion_tokens).toBe(4);
    expect(c.every((x) => x.object === 'chat.completion.chunk' && x.id === c[0]!.id)).toBe(true);
  });

  it('completions stream without include_usage sends no usage chunk', async () => {
    const r = await post(`${sim.url}/v1/completions`, {
      model: 'm',
      prompt: 'Once upon',
      max_tokens: 3,
      stream: true,
    });
    const c = chunks(r.events);
    expect(c).toHaveLength(3);
    expect(c.every((x) => x.object === 'text_completion' && !('usage' in x))).toBe(true);
    expect(r.events.at(-1)!.data).toBe('[DONE]');
  });

  it('same prompt and seed give the same text; ignore_eos/min_tokens are honoured', async () => {
    const body = { model: 'm', prompt: 'same prompt', max_tokens: 6, ignore_eos: true };
    const a = JSON.parse((await post(`${sim.url}/v1/completions`, body)).body);
    const b = JSON.parse((await post(`${sim.url}/v1/completions`, body)).body);
    expect(a.choices[0].text).toBe(b.choices[0].text);
    expect(a.usage.completion_tokens).toBe(6);
  });

  it('completions default to 16 tokens when max_tokens is absent (as vLLM)', async () => {
    const r = JSON.parse((await post(`${sim.url}/v1/completions`, { model: 'm', prompt: 'x' })).body);
    expect(r.usage.completion_tokens).toBe(16);
  });

  it('embeddings, rerank, score, classify shapes', async () => {
    const e = JSON.parse((await post(`${sim.url}/v1/embeddings`, { model: 'm', input: ['a b', 'c'] })).body);
    expect(e.object).toBe('list');
    expect(e.data).toHaveLength(2);
    expect(e.data[0]).toMatchObject({ index: 0, object: 'embedding' });
    expect(e.data[0].embedding).toHaveLength(8);
    const norm = Math.hypot(...(e.data[0].embedding as number[]));
    expect(norm).toBeCloseTo(1, 3);
    expect(e.usage.prompt_tokens).toBe(3);

    const rr = JSON.parse(
      (await post(`${sim.url}/v1/rerank`, { model: 'm', query: 'q', documents: ['a', 'b', 'c'], top_n: 2 }))
        .body,
    );
    expect(rr.results).toHaveLength(2);
    expect(rr.results[0].relevance_score).toBeGreaterThanOrEqual(rr.results[1].relevance_score);
    expect(rr.results[0].document.text).toMatch(/^[abc]$/);
    expect(rr.usage.total_tokens).toBeGreaterThan(0);

    const s = JSON.parse(
      (await post(`${sim.url}/score`, { model: 'm', text_1: 'q', text_2: ['a', 'b'] })).body,
    );
    expect(s.data.map((d: { object: string }) => d.object)).toEqual(['score', 'score']);

    const c = JSON.parse((await post(`${sim.url}/classify`, { model: 'm', input: 'great film' })).body);
    expect(c.data[0].probs).toHaveLength(2);
    expect(c.data[0].probs[0] + c.data[0].probs[1]).toBeCloseTo(1, 5);
  });

  it('GET /v1/models and /health', async () => {
    const models = JSON.parse((await get(`${sim.url}/v1/models`)).text);
    expect(models.data[0]).toMatchObject({ object: 'model', max_model_len: 4096 });
    expect((await get(`${sim.url}/health`)).status).toBe(200);
  });

  it('bad requests get vLLM error bodies with status 400', async () => {
    const bad = await post(`${sim.url}/v1/chat/completions`, '{"model": ');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ type: 'BadRequestError', code: 400 });
    const missing = await post(`${sim.url}/v1/chat/completions`, { model: 'm' });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error.message).toMatch(/messages/);
    const tooLong = await post(`${sim.url}/v1/completions`, {
      model: 'm',
      prompt: 'hi there',
      max_tokens: 5000,
    });
    expect(tooLong.status).toBe(400);
    expect(JSON.parse(tooLong.body).error.message).toMatch(/maximum context length is 4096 tokens/);
    const longPrompt = await post(`${sim.url}/v1/completions`, {
      model: 'm',
      prompt: 'word '.repeat(5000).trim(),
      max_tokens: 1,
    });
    expect(JSON.parse(longPrompt.body).error.message).toMatch(/your request has 5000 input tokens/);
    expect((await post(`${sim.url}/v1/completions`, { prompt: 'x', n: 2 })).status).toBe(400);
    expect((await post(`${sim.url}/v1/nothing`, {})).status).toBe(404);
  });
});

describe('Triton KServe v2', () => {
  it('infer with BYTES tensors: reranker pair and text_input', async () => {
    const rr = await post(`${sim.url}/v2/models/model/infer`, {
      inputs: [
        { name: 'query', shape: [1], datatype: 'BYTES', data: ['q'] },
        { name: 'texts', shape: [3], datatype: 'BYTES', data: ['a', 'b', 'c'] },
      ],
    });
    expect(rr.status).toBe(200);
    const out = JSON.parse(rr.body);
    expect(out).toMatchObject({ model_name: 'model', model_version: '1' });
    expect(out.outputs[0]).toMatchObject({ name: 'scores', datatype: 'FP32', shape: [3] });
    const emb = JSON.parse(
      (
        await post(`${sim.url}/v2/models/enc/infer`, {
          inputs: [{ name: 'text_input', shape: [1, 1], datatype: 'BYTES', data: [['hello']] }],
        })
      ).body,
    );
    expect(emb.outputs[0]).toMatchObject({ name: 'embeddings', shape: [1, 8] });
    expect(emb.outputs[0].data).toHaveLength(8);
  });

  it('generate: text_output (prompt prepended as the vLLM backend does, unless excluded)', async () => {
    const r = JSON.parse(
      (
        await post(`${sim.url}/v2/models/model/generate`, {
          text_input: 'Hi',
          sampling_parameters: '{ "top_k": 50, "max_tokens": 3 }',
        })
      ).body,
    );
    expect(r).toMatchObject({ model_name: 'model', model_version: '1' });
    expect(r.text_output.startsWith('Hi ')).toBe(true);
    expect(r.text_output.slice(2).trim().split(' ')).toHaveLength(3);
    const ex = JSON.parse(
      (
        await post(`${sim.url}/v2/models/model/generate`, {
          text_input: 'Hi',
          max_tokens: 2,
          exclude_input_in_output: true,
        })
      ).body,
    );
    expect(ex.text_output.trim().split(' ')).toHaveLength(2);
  });

  it('generate_stream: one SSE event per token, no [DONE]', async () => {
    const r = await post(`${sim.url}/v2/models/model/generate_stream`, { text_input: 'Hi', max_tokens: 4 });
    expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(r.events).toHaveLength(4);
    expect(r.events.every((e) => typeof JSON.parse(e.data).text_output === 'string')).toBe(true);
    expect(r.body).not.toContain('[DONE]');
  });

  it('errors are {"error": "..."} with 400', async () => {
    const r = await post(`${sim.url}/v2/models/model/generate`, { sampling_parameters: '{}' });
    expect(r.status).toBe(400);
    expect(typeof JSON.parse(r.body).error).toBe('string');
    const bad = await post(`${sim.url}/v2/models/model/infer`, '{nope');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/failed to parse the request JSON/);
    expect((await get(`${sim.url}/v2/health/ready`)).status).toBe(200);
    expect((await get(`${sim.url}/v2/models/model/ready`)).status).toBe(200);
    expect(JSON.parse((await get(`${sim.url}/v2/models/model`)).text)).toMatchObject({
      name: 'model',
      versions: ['1'],
    });
    expect((await get(`${sim.url}/v2/models/model/generate`)).status).toBe(405);
  });
});

describe('DJL / SageMaker', () => {
  it('/invocations with messages answers as LMI chat completions; /ping is healthy', async () => {
    const r = JSON.parse(
      (
        await post(`${sim.url}/invocations`, {
          model: 'lmi',
          max_tokens: 3,
          messages: [{ role: 'user', content: 'hi' }],
        })
      ).body,
    );
    expect(r).toMatchObject({ object: 'chat.completion', model: 'lmi' });
    expect(r.usage.completion_tokens).toBe(3);
    expect((await get(`${sim.url}/ping`)).status).toBe(200);
  });

  it('/invocations with inputs streams JSON lines ending with generated_text', async () => {
    const r = await post(`${sim.url}/invocations`, {
      inputs: 'hi',
      parameters: { max_new_tokens: 3 },
      stream: true,
    });
    expect(r.events).toHaveLength(3);
    const last = JSON.parse(r.events.at(-1)!.data);
    expect(last.generated_text.trim().split(' ')).toHaveLength(3);
  });
});

describe('TGI', () => {
  it('/generate_stream: SSE token events, the last with generated_text; /generate: generated_text', async () => {
    const r = await post(`${sim.url}/generate_stream`, { inputs: 'hi', parameters: { max_new_tokens: 3 } });
    expect(r.events).toHaveLength(3);
    const events = r.events.map((e) => JSON.parse(e.data.replace(/^data:/, '')));
    expect(events[0]).toMatchObject({ index: 1, generated_text: null });
    expect(events[2].generated_text.trim().split(' ')).toHaveLength(3);
    expect(events[2].details).toMatchObject({ finish_reason: 'length', generated_tokens: 3 });
    const g = JSON.parse(
      (await post(`${sim.url}/generate`, { inputs: 'hi', parameters: { max_new_tokens: 2 } })).body,
    );
    expect(g.generated_text.trim().split(' ')).toHaveLength(2);
    const bad = await post(`${sim.url}/generate`, { parameters: {} });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error_type: 'validation' });
  });
});

describe('/metrics', () => {
  it('is Prometheus text with vLLM names and counts what was served', async () => {
    const before = (await get(`${sim.url}/metrics`)).text;
    await post(`${sim.url}/v1/completions`, { model: 'm', prompt: 'count me please', max_tokens: 7 });
    const { status, text } = await get(`${sim.url}/metrics`);
    expect(status).toBe(200);
    for (const line of text.split('\n').filter(Boolean)) {
      expect(line).toMatch(/^(# (HELP|TYPE) [a-z0-9_:]+ .+|[a-z0-9_:]+\{[^}]*\} -?[0-9.e+-]+)$/);
    }
    for (const name of [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:gpu_cache_usage_perc',
      'vllm:prefix_cache_queries_total',
      'vllm:prefix_cache_hits_total',
    ]) {
      expect(metricValue(text, name)).toBeTypeOf('number');
    }
    const gen =
      metricValue(text, 'vllm:generation_tokens_total')! -
      metricValue(before, 'vllm:generation_tokens_total')!;
    expect(gen).toBe(7);
    const prompt =
      metricValue(text, 'vllm:prompt_tokens_total')! - metricValue(before, 'vllm:prompt_tokens_total')!;
    expect(prompt).toBe(3);
    expect(metricValue(text, 'vllm:time_to_first_token_seconds_count')).toBeGreaterThan(0);
    expect(text).toContain('vllm:inter_token_latency_seconds_bucket{');
    expect(text).toContain('vllm:e2e_request_latency_seconds_bucket{');
  });
});

describe('seed request configs', () => {
  const root = 'test/fixtures/seed-configs/config';
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) =>
      statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)],
    );
  const configs = files(root).filter((f) => !f.includes('litellm'));

  it.each(configs)('%s is answered with 200', async (file) => {
    const cfg = parse(readFileSync(file, 'utf8')) as {
      endpoint_url: string;
      // biome-ignore lint/suspicious/noExplicitAny: reply JSON is checked field by field below
      template: Record<string, any>;
      template_keys: string[];
    };
    const body = structuredClone(cfg.template);
    // Fill template keys with short values, the way the prompt generators do.
    for (const key of cfg.template_keys) {
      const parts = key.split('.').map((p) => p.replace(/^\[(\d+)\]$/, '$1'));
      // biome-ignore lint/suspicious/noExplicitAny: reply JSON is checked field by field below
      let node: any = body;
      for (const p of parts.slice(0, -1)) node = node[p];
      const last = parts.at(-1)!;
      const current = node[last];
      node[last] =
        key === 'model'
          ? 'm'
          : Array.isArray(current)
            ? key.endsWith('shape')
              ? [2]
              : ['one', 'two']
            : 'a short prompt';
    }
    if (typeof body.max_tokens === 'number') body.max_tokens = 4;
    if (typeof body.sampling_parameters === 'string')
      body.sampling_parameters = body.sampling_parameters.replace(/\d{3,}/, '4');
    const path = new URL(cfg.endpoint_url).pathname;
    const r = await post(`${sim.url}${path}`, body);
    expect(r.status, r.body).toBe(200);
  });
});
