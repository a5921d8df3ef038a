import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../../src/config/index.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { dryRun } from '../../../src/workload/dry-run.ts';
import { createRequestFactory } from '../../../src/workload/request-factory.ts';

// Users' own Python prompt generators (the old framework's extension point) through the bridge:
// a real python3 runs src/workload/python/prompt_bridge.py on the modules in test/fixtures.

const DIR = resolve('test/fixtures/modules/python');
const PYTHON = process.env.PYTHON ?? 'python3';
const SEMEVAL = resolve('test/fixtures/datasets/semeval2017/test.jsonl');
const env = {
  ...process.env,
  PYTHONPATH: join(DIR, 'stub_datasets'),
  GAIT_STUB_DATASET: SEMEVAL,
  GAIT_NO_GPU_MONITOR: '1',
};

async function config(fields: Record<string, unknown>, load: Record<string, unknown> = {}): Promise<Config> {
  return loadConfig({
    env: {},
    defaults: {
      endpoint_url: 'http://127.0.0.1:9/v1/completions',
      module_dir: DIR,
      template: { model: '', prompt: '', max_tokens: 8 },
      template_keys: ['model', 'prompt'],
      ...fields,
      load: { python: PYTHON, ...load },
    },
  });
}

/** The request factory of a generator in generators.py, as one load worker makes it. */
async function factoryFor(generator: string) {
  const c = await config({ module_name: 'generators', prompt_generator: generator });
  return createRequestFactory(c, { workerIndex: 0, workerCount: 1, seed: 1, env });
}

async function bodies(c: Config, n: number) {
  return dryRun(c, n, { env });
}

async function failure(promise: Promise<unknown>): Promise<ToolkitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolkitError);
  return error as ToolkitError;
}

describe('Python prompt generators through the bridge', () => {
  it('an old-style module renders the same bodies as our TypeScript port of the same generator', async () => {
    const fromPython = await bodies(
      await config({ module_name: 'semeval_article', prompt_generator: 'PromptGenerator', model: 'm' }),
      31,
    );
    const fromTs = await bodies(
      await config({
        module_dir: 'modules/inst-semeval2017',
        module_name: 'llama3_prompt_generator',
        prompt_generator: 'PromptGenerator',
        model: 'm',
        workload: { dataset: SEMEVAL },
      }),
      1,
    );
    // User 0 of the port starts at offset 0, as the bridge does; 30 rows, then the data wraps around.
    expect(fromPython[0]).toEqual(fromTs[0]);
    expect(fromPython[0]).toMatchObject({ model: 'm', max_tokens: 8 });
    expect(String(fromPython[0]!.prompt)).toMatch(/^<\|begin_of_text\|> .*Bright crystal follows/);
    expect(fromPython[30]).toEqual(fromPython[0]);
    expect(new Set(fromPython.slice(0, 30).map((b) => b.prompt)).size).toBe(30);
  });

  it('fills [i] paths and puts the served model first, exactly as for a TypeScript generator', async () => {
    const c = await config({
      module_name: 'generators',
      prompt_generator: 'Pair',
      model: 'reranker',
      template: { model: '', query: '', documents: ['', ''] },
      template_keys: ['model', 'query', 'documents'],
    });
    expect(await bodies(c, 3)).toEqual([
      { model: 'reranker', query: 'query 0', documents: ['passage 0a', 'passage 0b'] },
      { model: 'reranker', query: 'query 1', documents: ['passage 1a', 'passage 1b'] },
      { model: 'reranker', query: 'query 0', documents: ['passage 0a', 'passage 0b'] },
    ]);
  });

  it('passes workload.options (PROMPT_KWARGS) to the constructor; wraps around by building it again', async () => {
    const c = await config({
      module_name: 'generators',
      prompt_generator: 'Counter',
      workload: { options: { prefix: 'kw', count: 2 } },
    });
    expect((await bodies(c, 5)).map((b) => b.prompt)).toEqual(['kw-0', 'kw-1', 'kw-0', 'kw-1', 'kw-0']);
    const plain = await config({ module_name: 'generators', prompt_generator: 'Counter' });
    expect((await bodies(plain, 4)).map((b) => b.prompt)).toEqual(['item-0', 'item-1', 'item-2', 'item-0']);
  });

  it('keeps what the module prints off the item stream; converts tuples, bytes and tolist() values', async () => {
    const noisy = await config({ module_name: 'generators', prompt_generator: 'Noisy' });
    expect((await bodies(noisy, 4)).map((b) => b.prompt)).toEqual([
      'quiet-0',
      'quiet-1',
      'quiet-2',
      'quiet-0',
    ]);
    const plain = await config({
      module_name: 'generators',
      prompt_generator: 'Plain',
      template: { a: '', b: '', c: '' },
      template_keys: ['a', 'b', 'c'],
    });
    expect((await bodies(plain, 1))[0]).toEqual({ a: ['a', 'b'], b: 'bytes', c: [1.5, 2.5] });
  });

  it('a missing class, a module that fails to import, an empty generator: clear errors before the run', async () => {
    const missing = await failure(
      bodies(await config({ module_name: 'generators', prompt_generator: 'Nope' }), 1),
    );
    expect(missing.code).toBe('GENERATOR_MISSING');
    expect(missing.message).toContain(join(DIR, 'generators.py'));
    expect(missing.message).toMatch(/generators has no Nope; it defines: .*Counter/);
    const broken = await failure(
      bodies(await config({ module_name: 'broken_import', prompt_generator: 'PromptGenerator' }), 1),
    );
    expect(broken.code).toBe('GENERATOR_MISSING');
    expect(broken.message).toMatch(
      /cannot import the module: ModuleNotFoundError: No module named 'a_module_that_is_not_installed'/,
    );
    expect(broken.message).toContain('--- traceback (last lines) ---');
    const empty = await failure(
      bodies(await config({ module_name: 'generators', prompt_generator: 'Empty' }), 1),
    );
    expect(empty.code).toBe('GENERATOR_EMPTY');
    const nothing = await failure(
      bodies(await config({ module_name: 'no_such_module', prompt_generator: 'X' }), 1),
    );
    expect(nothing.code).toBe('GENERATOR_MISSING');
  });

  it('without Python the error says so and how to fix it', async () => {
    const c = await config(
      { module_name: 'generators', prompt_generator: 'Counter' },
      { python: '/nonexistent/python3' },
    );
    const error = await failure(bodies(c, 1));
    expect(error.message).toMatch(
      /\/nonexistent\/python3 not found: Python is needed to run the prompt generator .*generators\.py/,
    );
    expect(error.hint).toMatch(/install python3.*PYTHON \/ load\.python/);
  });

  it('a generator that raises, or a bridge that dies, fails the next request with the traceback: no hang', async () => {
    const raising = await factoryFor('Raising');
    expect((await raising.next(0)).body.prompt).toBe('ok-0');
    expect((await raising.next(1)).body.prompt).toBe('ok-1');
    const raised = await failure(Promise.resolve(raising.next(0)));
    expect(raised.code).toBe('GENERATOR_FAILED');
    expect(raised.message).toMatch(/generators\.py raised ValueError: bad row 2/);
    expect(raised.message).toMatch(/--- traceback \(last lines\) ---\n(.|\n)*line \d+, in __call__/);
    await raising.close?.();
    const dying = await factoryFor('DiesAfter');
    for (let i = 0; i < 3; i++) await dying.next(0);
    const died = await failure(Promise.resolve(dying.next(0)));
    expect(died.message).toMatch(
      /the Python bridge for .*generators\.py exited \(code 3\) before the run ended/,
    );
    await dying.close?.();
  });
});

describe('Python generators in a load run', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 1, itlMs: 1 });
  });
  afterAll(() => sim.close());

  it('two workers, each with its own bridge process', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gait-py-workers-'));
    const c = await config(
      {
        endpoint_url: `${sim.url}/v1/completions`,
        module_name: 'generators',
        prompt_generator: 'PidWriter',
        workload: { options: { folder } },
        output: { prefix: join(folder, 'results') },
      },
      { users: 4, requests: 40, workers: 2 },
    );
    const result = await runLoadTest(c, { env });
    expect(result.summary.overall.requests).toMatchObject({ total: 40, ok: 40 });
    const pids = (await readFile(join(folder, 'pids'), 'utf8')).trim().split('\n');
    expect(new Set(pids).size).toBe(2);
  });

  it('a generator that raises mid-run ends the run with its error', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gait-py-raise-'));
    const c = await config(
      {
        endpoint_url: `${sim.url}/v1/completions`,
        module_name: 'generators',
        prompt_generator: 'Raising',
        output: { prefix: join(folder, 'results') },
      },
      { users: 1, duration: '60s' },
    );
    const started = Date.now();
    const error = await failure(runLoadTest(c, { env }));
    expect(error.message).toMatch(/raised ValueError: bad row 2/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

// The old framework's own generators, unchanged, when a checkout of it is at hand (its code is not
// shipped here): OLD_FRAMEWORK_DIR=<checkout>/gen-ai-inference-testing npm test -- python-generators
const OLD = process.env.OLD_FRAMEWORK_DIR;
describe.skipIf(!OLD)("the old framework's own Python generators", () => {
  it.each([
    ['inst-semeval2017', 'llama3_prompt_generator', 'PromptGenerator'],
    ['inst-semeval2017', 'prompt_generator', 'PromptGenerator'],
  ])('%s/%s.py gives the same bodies as our TypeScript port', async (folder, module, generator) => {
    // Copied under another folder name: the old folder name itself maps to our port.
    const copy = await mkdtemp(join(tmpdir(), 'gait-old-module-'));
    await writeFile(
      join(copy, `${module}.py`),
      await readFile(join(OLD!, 'modules', folder, `${module}.py`)),
    );
    const fields = { module_name: module, prompt_generator: generator, model: 'm' };
    const fromPython = await bodies(await config({ ...fields, module_dir: copy }), 30);
    const fromTs = await bodies(
      await config({ ...fields, module_dir: `modules/${folder}`, workload: { dataset: SEMEVAL } }),
      1,
    );
    expect(fromPython[0]).toEqual(fromTs[0]);
    expect(new Set(fromPython.map((b) => JSON.stringify(b))).size).toBe(30);
  });
});
