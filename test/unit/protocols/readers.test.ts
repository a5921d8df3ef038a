import { describe, expect, it } from 'vitest';
import { approximateTokens } from '../../../src/protocols/approximate-tokens.ts';
import { errorBodyMessage } from '../../../src/protocols/error-body.ts';
import { READERS } from '../../../src/protocols/readers.ts';
import { newReplyState } from '../../../src/protocols/reply-state.ts';
import { replyFormat } from '../../../src/protocols/stream-format.ts';

const chat = READERS['openai-chat'];

describe('OpenAI stream events', () => {
  it('content, reasoning_content and reasoning are content; role-only, empty and usage-only are not', () => {
    const state = newReplyState(false);
    expect(chat.event({ choices: [{ delta: { role: 'assistant' } }] }, state)).toBe('');
    expect(chat.event({ choices: [{ delta: { content: '' } }] }, state)).toBe('');
    expect(chat.event({ choices: [{ delta: { content: null, reasoning_content: 'th' } }] }, state)).toBe(
      'th',
    );
    expect(chat.event({ choices: [{ delta: { reasoning: 'r' } }] }, state)).toBe('r');
    expect(chat.event({ choices: [{ delta: { content: 'Hi' } }] }, state)).toBe('Hi');
    expect(chat.event({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } }, state)).toBe('');
    expect(state.serverPromptTokens).toBe(7);
    expect(state.serverOutputTokens).toBe(3);
    expect(state.failure).toBeUndefined();
  });

  it('completions: choices[].text', () => {
    const state = newReplyState(false);
    expect(READERS['openai-completions'].event({ choices: [{ text: 'ab', index: 0 }] }, state)).toBe('ab');
  });

  it('an error event mid-stream is a broken stream with the server message', () => {
    const state = newReplyState(false);
    chat.event({ error: { message: 'out of memory' } }, state);
    expect(state.failure).toEqual({
      kind: 'stream_broken',
      message: expect.stringContaining('out of memory'),
    });
  });
});

describe('whole replies', () => {
  it('chat: message content and usage; anything without choices is unparseable (undefined)', () => {
    const state = newReplyState(false);
    const reply = {
      choices: [{ message: { content: 'Hello there' } }],
      usage: { prompt_tokens: 4, completion_tokens: 2 },
    };
    expect(chat.whole(reply, state)).toBe('Hello there');
    expect(state.serverOutputTokens).toBe(2);
    expect(chat.whole({ data: [] }, newReplyState(false))).toBeUndefined();
    expect(chat.whole([1], newReplyState(false))).toBeUndefined();
  });

  it('encoders: data / results lists and input tokens from usage', () => {
    const state = newReplyState(false);
    expect(
      READERS['openai-embeddings'].whole(
        { data: [{ embedding: [0.1] }], usage: { prompt_tokens: 5 } },
        state,
      ),
    ).toBe('');
    expect(state.serverPromptTokens).toBe(5);
    const rerank = newReplyState(false);
    expect(READERS['openai-rerank'].whole({ results: [], usage: { total_tokens: 11 } }, rerank)).toBe('');
    expect(rerank.serverPromptTokens).toBe(11);
    expect(READERS['openai-classify'].whole({ data: [{ label: 'pos' }] }, newReplyState(false))).toBe('');
    expect(READERS['openai-score'].whole({ score: 1 }, newReplyState(false))).toBeUndefined();
  });

  it('Triton: infer needs outputs; generate reads text_output and optional token counts', () => {
    expect(READERS['triton-infer'].whole({ outputs: [{ name: 'o', data: [1] }] }, newReplyState(false))).toBe(
      '',
    );
    expect(READERS['triton-infer'].whole({ text_output: 'x' }, newReplyState(false))).toBeUndefined();
    const state = newReplyState(false);
    expect(READERS['triton-generate'].whole({ text_output: 'abc', num_output_tokens: [3] }, state)).toBe(
      'abc',
    );
    expect(state.serverOutputTokens).toBe(3);
  });

  it('TGI and LMI: generated_text, also inside a list', () => {
    const state = newReplyState(false);
    const reply = [{ generated_text: 'xyz', details: { generated_tokens: 3 } }];
    expect(READERS['tgi-generate-stream'].whole(reply, state)).toBe('xyz');
    expect(state.serverOutputTokens).toBe(3);
    expect(READERS.invocations.whole({ generated_text: 'q' }, newReplyState(false))).toBe('q');
    expect(
      READERS.invocations.whole({ choices: [{ message: { content: 'c' } }] }, newReplyState(false)),
    ).toBe('c');
  });
});

describe('token events (TGI, LMI, Triton)', () => {
  it('TGI: token.text unless special; the final event ends the stream with generated_tokens', () => {
    const tgi = READERS['tgi-generate-stream'];
    const state = newReplyState(false);
    expect(tgi.event({ token: { text: 'a', special: false }, generated_text: null }, state)).toBe('a');
    expect(tgi.event({ token: { text: '</s>', special: true } }, state)).toBe('');
    expect(state.finished).toBe(false);
    tgi.event(
      { token: { text: '', special: true }, generated_text: 'a', details: { generated_tokens: 2 } },
      state,
    );
    expect(state.finished).toBe(true);
    expect(state.serverOutputTokens).toBe(2);
    expect(tgi.needsEndMarker).toBe(true);
  });

  it('Triton streams text_output and needs no end marker', () => {
    const state = newReplyState(false);
    expect(READERS['triton-generate-stream'].event({ text_output: 'x' }, state)).toBe('x');
    expect(READERS['triton-generate-stream'].needsEndMarker).toBe(false);
  });

  it('invocations reads OpenAI chunks and LMI token lines', () => {
    const state = newReplyState(false);
    expect(READERS.invocations.event({ choices: [{ delta: { content: 'c' } }] }, state)).toBe('c');
    expect(READERS.invocations.event({ token: { id: 1, text: 't' } }, state)).toBe('t');
  });
});

describe('helpers', () => {
  it('error bodies: OpenAI, Triton, FastAPI, plain text', () => {
    expect(errorBodyMessage(400, '{"error":{"message":"bad model","type":"x"}}')).toBe('HTTP 400: bad model');
    expect(errorBodyMessage(400, '{"error":"input missing"}')).toBe('HTTP 400: input missing');
    expect(errorBodyMessage(422, '{"detail":[{"msg":"field required"}]}')).toContain('field required');
    expect(errorBodyMessage(502, 'Bad Gateway\n')).toBe('HTTP 502: Bad Gateway');
    expect(errorBodyMessage(503, '')).toBe('HTTP 503');
  });

  it('reply formats from Content-Type', () => {
    expect(replyFormat('text/event-stream; charset=utf-8')).toBe('sse');
    expect(replyFormat('application/jsonlines')).toBe('jsonl');
    expect(replyFormat('application/x-ndjson')).toBe('jsonl');
    expect(replyFormat('application/json')).toBe('whole');
    expect(replyFormat(undefined)).toBe('whole');
  });

  it('approximates tokens as ceil(chars / 4)', () => {
    expect(approximateTokens('')).toBe(0);
    expect(approximateTokens('abcde')).toBe(2);
  });
});
