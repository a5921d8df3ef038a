import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatEffectiveConfig,
  loadConfig,
  maskSecrets,
  parseDurationMs,
} from '../../../src/config/index.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { loadPlan } from '../../../src/pipeline/load-plan.ts';

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => join(e.parentPath, e.name));
}

async function tempYaml(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gait-config-'));
  const file = join(dir, 'bad.yaml');
  await writeFile(file, text);
  return file;
}

describe('config schema', () => {
  it('loads every YAML file under config/ (pipeline plans as plans)', async () => {
    const files = await yamlFiles('config');
    expect(files.length).toBeGreaterThan(0);
    const plans = files.filter((f) => f.includes('/pipeline/'));
    expect(plans.length).toBeGreaterThan(0);
    for (const file of files) {
      if (plans.includes(file)) {
        expect((await loadPlan(file, {})).scenarios.length, file).toBeGreaterThan(0);
        continue;
      }
      const config = await loadConfig({ files: [file], env: {} });
      expect(config.load.users, file).toBeGreaterThanOrEqual(1);
    }
  });

  it('loads every old request config unchanged', async () => {
    const files = (await yamlFiles('test/fixtures/seed-configs/config')).filter(
      (f) => !f.includes('litellm'),
    );
    expect(files).toHaveLength(21);
    for (const file of files) {
      const config = await loadConfig({ files: [file], env: {} });
      expect(config.endpoint_url, file).toMatch(/^http:\/\/localhost:8080\//);
      expect(config.template_keys?.length, file).toBeGreaterThan(0);
    }
  });

  it('names the file, the field and the allowed values for a bad value', async () => {
    const file = await tempYaml('load:\n  arrival: sometimes\n');
    const error = await loadConfig({ files: [file], env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    const text = (error as ToolkitError).describe();
    expect(text).toContain(file);
    expect(text).toContain('load.arrival');
    expect(text).toContain('"poisson"');
    expect(text).toContain('fix:');
  });

  it('suggests the nearest field for a misspelt key', async () => {
    const file = await tempYaml('load:\n  user: 4\n');
    const error = (await loadConfig({ files: [file], env: {} }).catch((e: unknown) => e)) as ToolkitError;
    expect(error.message).toContain(file);
    expect(error.message).toContain('did you mean "users"');
  });

  it('reports a YAML syntax error with the file name', async () => {
    const file = await tempYaml('template: { "a": [1, 2 }\n');
    const error = (await loadConfig({ files: [file], env: {} }).catch((e: unknown) => e)) as ToolkitError;
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message).toContain(file);
  });

  it('merges defaults <- file <- old env vars <- flags', async () => {
    const file = await tempYaml('load:\n  users: 2\n  workers: 3\n  spawn_rate: 5\n');
    const config = await loadConfig({
      files: [file],
      env: { USERS: '8', WORKERS: '4', RUN_TIME: '2m' },
      flags: { users: '16' },
    });
    expect(config.load.users).toBe(16);
    expect(config.load.workers).toBe(4);
    expect(config.load.spawn_rate).toBe(5);
    expect(config.load.duration).toBe(120_000);
    expect(config.server.host_port).toBe(8080);
  });

  it('names the environment variable that holds a bad value', async () => {
    const error = (await loadConfig({ env: { USERS: 'many' } }).catch((e: unknown) => e)) as ToolkitError;
    expect(error.message).toContain('USERS');
    expect(error.hint).toContain('load.users');
  });

  it('names the variable when a value parses but breaks a rule', async () => {
    const error = (await loadConfig({ env: { INFERENCE_SERVER: 'tgi' } }).catch(
      (e: unknown) => e,
    )) as ToolkitError;
    expect(error.message).toContain('INFERENCE_SERVER');
    expect(error.message).toContain('"openai_server"');
  });
});

describe('durations and secrets', () => {
  it('parses Locust-style run times', () => {
    expect(parseDurationMs('120')).toBe(120_000);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('soon')).toBeUndefined();
  });

  it('masks tokens and keys when printing the effective config', async () => {
    const config = await loadConfig({ env: { HF_TOKEN: 'hf_secret_value' } });
    expect(config.server.hf_token).toBe('hf_secret_value');
    expect(formatEffectiveConfig(config)).not.toContain('hf_secret_value');
    expect(maskSecrets({ a: { api_key: 'x', name: 'y' } })).toEqual({ a: { api_key: '****', name: 'y' } });
  });
});

describe('request headers and API keys', () => {
  it('--header (repeatable) and load.headers merge; --api-key and OPENAI_API_KEY set load.api_key', async () => {
    const file = await tempYaml('load:\n  headers: {X-Tenant: a, X-Trace: t}\n');
    const config = await loadConfig({
      files: [file],
      env: { OPENAI_API_KEY: 'from-env' },
      flags: { header: ['X-Tenant: b', 'Cookie:  session=1 '], 'api-key': 'from-flag' },
    });
    expect(config.load.headers).toEqual({ 'X-Tenant': 'b', 'X-Trace': 't', Cookie: 'session=1' });
    expect(config.load.api_key).toBe('from-flag');
    expect((await loadConfig({ env: { OPENAI_API_KEY: 'from-env' } })).load.api_key).toBe('from-env');
  });

  it('rejects a header without a colon or with a bad name, never echoing its value', async () => {
    const bad = loadConfig({ env: {}, flags: { header: ['Authorization Bearer sk-hidden'] } });
    await expect(bad).rejects.toThrow(/--header: "\.\.\." is not "Name: value"/);
    await expect(bad).rejects.not.toThrow(/sk-hidden/);
    const badName = loadConfig({ env: {}, flags: { header: ['Bad Name: sk-hidden'] } });
    await expect(badName).rejects.toThrow(/load\.headers.*header name/s);
    await expect(badName).rejects.not.toThrow(/sk-hidden/);
  });

  it('masks the key and secret-bearing header values, keeps the others', async () => {
    const config = await loadConfig({
      env: {},
      flags: {
        'api-key': 'sk-1',
        header: ['Authorization: Bearer sk-2', 'X-Api-Key: sk-3', 'Cookie: s=sk-4', 'X-Tenant: a'],
      },
    });
    const text = formatEffectiveConfig(config);
    for (const secret of ['sk-1', 'sk-2', 'sk-3', 'sk-4']) expect(text).not.toContain(secret);
    expect(text).toContain('X-Tenant: a');
    expect(config.load.headers.Cookie).toBe('s=sk-4');
  });
});
