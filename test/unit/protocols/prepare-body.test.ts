import { describe, expect, it } from 'vitest';
import { prepareBody, prepareRequest, requestUrl } from '../../../src/protocols/prepare-body.ts';
import type { WorkItem } from '../../../src/workload/types.ts';

function item(protocol: WorkItem['protocol'], body: Record<string, unknown>, extra: Partial<WorkItem> = {}) {
  return { url: 'http://h:8080/x', protocol, body, name: 'x', ...extra } satisfies WorkItem;
}

describe('prepareBody: OpenAI chat and completions', () => {
  const template = { model: 'm', max_tokens: 2048, messages: [{ role: 'user', content: 'hi' }] };

  it('asks for a stream with usage, and sets max_tokens', () => {
    const body = prepareBody(item('openai-chat', template), { stream: true, maxTokens: 64 });
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 64 });
    expect(body.messages).toBe(template.messages);
  });

  it('never mutates the template', () => {
    const copy = structuredClone(template);
    prepareBody(item('openai-chat', template, { expectedOutputTokens: 9 }), { stream: true, maxTokens: 5 });
    expect(template).toEqual(copy);
  });

  it('keeps other stream_options, and removes them when not streaming', () => {
    const source = { ...template, stream: true, stream_options: { continuous_usage_stats: true } };
    expect(prepareBody(item('openai-chat', source), { stream: true }).stream_options).toEqual({
      continuous_usage_stats: true,
      include_usage: true,
    });
    const plain = prepareBody(item('openai-chat', source), { stream: false });
    expect(plain.stream).toBe(false);
    expect('stream_options' in plain).toBe(false);
  });

  it('adds no stream field when not streaming and the template has none', () => {
    const body = prepareBody(item('openai-completions', { prompt: 'p' }), { stream: false });
    expect(body).toEqual({ prompt: 'p' });
  });

  it('sets max_completion_tokens instead of adding max_tokens when the template uses it', () => {
    const body = prepareBody(item('openai-chat', { max_completion_tokens: 10 }), {
      stream: false,
      maxTokens: 7,
    });
    expect(body).toEqual({ max_completion_tokens: 7 });
  });

  it('uses expectedOutputTokens as max_tokens with ignore_eos; a run-wide maxTokens wins', () => {
    const exact = item('openai-completions', { prompt: 'p' }, { expectedOutputTokens: 128 });
    expect(prepareBody(exact, { stream: false })).toEqual({ prompt: 'p', max_tokens: 128, ignore_eos: true });
    expect(prepareBody(exact, { stream: false, maxTokens: 16 }).max_tokens).toBe(16);
  });
});

describe('prepareBody: Triton generate', () => {
  const vllm = { text_input: 'q', sampling_parameters: '{ "top_k": 50, "max_tokens": 2048 }' };

  it('parses the sampling_parameters JSON string, sets max_tokens and re-stringifies it', () => {
    const body = prepareBody(item('triton-generate', vllm), { stream: true, maxTokens: 32 });
    expect(typeof body.sampling_parameters).toBe('string');
    expect(JSON.parse(body.sampling_parameters as string)).toEqual({ top_k: 50, max_tokens: 32 });
    expect(body.stream).toBe(true);
  });

  it('adds ignore_eos inside sampling_parameters for an exact output length', () => {
    const body = prepareBody(item('triton-generate', vllm, { expectedOutputTokens: 100 }), { stream: false });
    expect(JSON.parse(body.sampling_parameters as string)).toEqual({
      top_k: 50,
      max_tokens: 100,
      ignore_eos: true,
    });
    expect('stream' in body).toBe(false);
  });

  it('keeps sampling_parameters an object when it is one', () => {
    const body = prepareBody(item('triton-generate', { sampling_parameters: { top_p: 1 } }), {
      stream: false,
      maxTokens: 3,
    });
    expect(body.sampling_parameters).toEqual({ top_p: 1, max_tokens: 3 });
  });

  it('sets the top-level max_tokens of TensorRT-LLM templates', () => {
    const trt = { text_input: 'q', max_tokens: 2048 };
    expect(prepareBody(item('triton-generate', trt), { stream: false, maxTokens: 8 })).toEqual({
      text_input: 'q',
      max_tokens: 8,
    });
  });

  it('rejects a sampling_parameters string that is not a JSON object, naming the fix', () => {
    const bad = item('triton-generate', { sampling_parameters: '{top_k: 50' });
    expect(() => prepareBody(bad, { stream: false, maxTokens: 1 })).toThrow(/sampling_parameters/);
  });

  it('sends a streamed request to generate_stream', () => {
    const prepared = prepareRequest(
      { ...item('triton-generate', vllm), url: 'http://h/v2/models/m/generate' },
      { stream: true },
    );
    expect(prepared.url).toBe('http://h/v2/models/m/generate_stream');
    expect(requestUrl('http://h/v2/models/m/generate', 'triton-generate', false)).toBe(
      'http://h/v2/models/m/generate',
    );
    expect(requestUrl('http://h/v2/models/m/generate_stream', 'triton-generate-stream', true)).toBe(
      'http://h/v2/models/m/generate_stream',
    );
  });
});

describe('prepareBody: TGI, invocations, encoders, json', () => {
  it('TGI: max_new_tokens and details in parameters; /generate when not streamed', () => {
    const body = prepareBody(item('tgi-generate-stream', { inputs: 'q', parameters: { top_k: 5 } }), {
      stream: true,
      maxTokens: 20,
    });
    expect(body).toEqual({ inputs: 'q', parameters: { top_k: 5, details: true, max_new_tokens: 20 } });
    expect(requestUrl('http://h/generate_stream', 'tgi-generate-stream', false)).toBe('http://h/generate');
    expect(requestUrl('http://h/generate_stream', 'tgi-generate-stream', true)).toBe(
      'http://h/generate_stream',
    );
  });

  it('invocations with messages (DJL chat schema): stream and max_tokens, no stream_options', () => {
    const body = prepareBody(item('invocations', { model: 'lmi', max_tokens: 2048, messages: [] }), {
      stream: true,
      maxTokens: 50,
    });
    expect(body).toEqual({ model: 'lmi', max_tokens: 50, messages: [], stream: true });
  });

  it('invocations with inputs (LMI schema): stream at the top, max_new_tokens in parameters', () => {
    const body = prepareBody(item('invocations', { inputs: 'q' }), { stream: true, maxTokens: 9 });
    expect(body).toEqual({ inputs: 'q', stream: true, parameters: { details: true, max_new_tokens: 9 } });
  });

  it('leaves encoder, Triton infer and json bodies as they are', () => {
    for (const protocol of ['openai-embeddings', 'openai-rerank', 'triton-infer', 'json'] as const) {
      const body = { input: 'x' };
      expect(prepareBody(item(protocol, body), { stream: true, maxTokens: 3 })).toBe(body);
    }
  });
});
