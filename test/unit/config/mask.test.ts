import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatEffectiveConfig, loadConfig, maskSecrets } from '../../../src/config/index.ts';
import { maskUrl, SECRET_KEYS } from '../../../src/config/mask.ts';

// Masking hides secrets by an explicit list of keys (not any key containing "token"), strips
// credentials from URLs, and a saved effective config always loads back.

const dir = await mkdtemp(join(tmpdir(), 'mask-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function configFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => join(e.parentPath, e.name));
}

describe('maskSecrets', () => {
  it('masks the listed secret keys, not counts whose names contain "token"', () => {
    const masked = maskSecrets({
      hf_token: 'hf_x',
      api_key: 'k',
      headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k2' },
      password: 'p',
      load: { max_tokens: 128 },
      usage: { input_tokens: 5, kv_cache_tokens: 7 },
      tokenizer: 'Qwen/Qwen3-0.6B',
    });
    expect(masked).toEqual({
      hf_token: '****',
      api_key: '****',
      headers: { Authorization: '****', 'X-Api-Key': '****' },
      password: '****',
      load: { max_tokens: 128 },
      usage: { input_tokens: 5, kv_cache_tokens: 7 },
      tokenizer: 'Qwen/Qwen3-0.6B',
    });
    expect(SECRET_KEYS).toContain('hf_token');
  });

  it('strips credentials from URLs, anywhere in the config', () => {
    expect(maskUrl('http://user:pass@host:8080/v1/chat/completions?x=1')).toBe(
      'http://****@host:8080/v1/chat/completions?x=1',
    );
    expect(maskUrl('http://host/v1')).toBe('http://host/v1');
    expect(maskSecrets({ endpoint_url: 'https://me:s3cret@example.com/v1' })).toEqual({
      endpoint_url: 'https://****@example.com/v1',
    });
    expect(maskSecrets({ note: 'not a url: a:b@c' })).toEqual({ note: 'not a url: a:b@c' });
  });

  it('every shipped config, saved as _config.yaml, loads back to the same settings', async () => {
    const sections = join(dir, 'sections.yaml');
    await writeFile(
      sections,
      'load:\n  stages: [{ duration: 30s, users: 2 }, { duration: 1m, rate: 3 }]\n  circuit_breaker: { window: 5s }\n',
    );
    const root = join(import.meta.dirname, '../../../config');
    // Request configs (config/pipeline/ holds pipeline files, another format).
    const files = [
      sections,
      ...(await configFiles(join(root, 'decoder'))),
      ...(await configFiles(join(root, 'encoder'))),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const config = await loadConfig({
        files: [file],
        env: {},
        flags: { endpoint: 'http://user:pw@127.0.0.1:9/v1/chat/completions', 'max-tokens': '64' },
      });
      const saved = join(dir, 'saved.yaml');
      await writeFile(saved, formatEffectiveConfig(config));
      const again = await loadConfig({ files: [saved], env: {} });
      expect(again.load.max_tokens, file).toBe(64);
      expect(again.endpoint_url, file).toBe('http://****@127.0.0.1:9/v1/chat/completions');
      expect({ ...again, endpoint_url: '' }, file).toEqual({ ...config, endpoint_url: '' });
    }
  });
});

describe('hostile settings files', () => {
  it('a YAML alias bomb is an error naming the file, not a bare ReferenceError', async () => {
    const bomb = join(dir, 'bomb.yaml');
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    await writeFile(bomb, `${lines.join('\n')}\n`);
    const error = (await loadConfig({ files: [bomb], env: {} }).catch((e) => e)) as Error & { code?: string };
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message).toContain(bomb);
  });
});
