import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { trtllmPlan } from '../../../src/compose/trtllm-build.ts';
import { PYTHON } from '../../helpers/triton-image.ts';

// The triton-trtllm image's start program (containers/triton-trtllm/trtllm_start.py) run for real under
// /usr/bin/python3 with stand-ins for what the image provides: a TensorRT-LLM checkout (convert script,
// fill_template.py, model templates), `trtllm-build` and `tritonserver` on PATH, and the installed
// tensorrt_llm version (a dist-info). The plan is the one launch computes, moved into a temp folder.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gait-trtllm-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const source = join(work, 'tensorrt_llm');
const bin = join(work, 'bin');
const site = join(work, 'site');
const log = join(work, 'calls.log');
const model = join(work, 'model');
function script(path: string, text: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}
// convert: writes the checkpoint; trtllm-build: writes the engine (both log their calls).
script(
  join(source, 'examples/models/core/llama/convert_checkpoint.py'),
  `import sys\nargs = sys.argv\nout = args[args.index("--output_dir") + 1]\nimport os\nos.makedirs(out, exist_ok=True)\nopen(os.path.join(out, "config.json"), "w").write("{}")\nopen(${JSON.stringify(log)}, "a").write("convert " + " ".join(args[1:]) + "\\n")\n`,
);
script(
  join(bin, 'trtllm-build'),
  `#!/bin/sh\necho "build $*" >> ${log}\nwhile [ $# -gt 0 ]; do [ "$1" = "--output_dir" ] && out=$2; shift; done\nmkdir -p "$out" && echo '{}' > "$out/config.json"\n`,
);
script(
  join(source, 'triton_backend/tools/fill_template.py'),
  `import sys\nopen(sys.argv[2], "a").write("\\n# filled: " + sys.argv[3] + "\\n")\n`,
);
for (const name of ['preprocessing', 'postprocessing', 'tensorrt_llm', 'ensemble']) {
  mkdirSync(join(source, 'triton_backend/all_models/inflight_batcher_llm', name, '1'), { recursive: true });
  writeFileSync(
    join(source, 'triton_backend/all_models/inflight_batcher_llm', name, 'config.pbtxt'),
    `name: "${name}"\n`,
  );
}
script(join(bin, 'tritonserver'), `#!/bin/sh\necho "serve $*" >> ${log}\n`);
mkdirSync(join(site, 'tensorrt_llm-1.1.0.dist-info'), { recursive: true });
writeFileSync(
  join(site, 'tensorrt_llm-1.1.0.dist-info/METADATA'),
  'Metadata-Version: 2.1\nName: tensorrt_llm\nVersion: 1.1.0\n',
);
mkdirSync(model, { recursive: true });

function planJson(version = '1.1.0'): string {
  const plan = trtllmPlan({
    modelId: 'org/m',
    tensorParallelSize: 1,
    maxNumSeqs: 4,
    maxModelLen: 2048,
    version,
    convertScript: 'examples/models/core/llama/convert_checkpoint.py',
    gpuMemoryUtilization: 0.9,
    enablePrefixCaching: false,
  });
  return JSON.stringify(plan)
    .replaceAll('/cache/', `${work}/cache/`)
    .replaceAll('/opt/tensorrt_llm', source)
    .replaceAll('/tmp/model_repository', `${work}/repo`);
}

function start(plan: string) {
  return spawnSync(PYTHON, [join(ROOT, 'containers/triton-trtllm/trtllm_start.py')], {
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      PYTHONPATH: site,
      TRTLLM_SOURCE: source,
      TRTLLM_PLAN: plan,
      MODEL_ID: model,
    },
    encoding: 'utf8',
  });
}
const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('triton-trtllm start: engine built at first start, cached after', () => {
  it('first start converts and builds into the keyed cache, fills the templates, serves the ensemble as "model"', () => {
    const result = start(planJson());
    expect(result.status, result.stderr).toBe(0);
    const [convert, build, serve] = calls();
    expect(convert).toContain(`--model_dir ${model}`);
    expect(build).toContain(
      `--output_dir ${work}/cache/trtllm/org--m/tp1/trtllm1.1.0/bs4-len2048/engine.partial`,
    );
    expect(existsSync(`${work}/cache/trtllm/org--m/tp1/trtllm1.1.0/bs4-len2048/engine/config.json`)).toBe(
      true,
    );
    expect(existsSync(`${work}/cache/trtllm/org--m/tp1/trtllm1.1.0/bs4-len2048/checkpoint`)).toBe(false);
    expect(serve).toContain(`--model-repository=${work}/repo`);
    const ensemble = readFileSync(`${work}/repo/model/config.pbtxt`, 'utf8');
    expect(ensemble).toMatch(/^name: "model"/);
    expect(ensemble).toContain('# filled: triton_max_batch_size:4');
    expect(readFileSync(`${work}/repo/preprocessing/config.pbtxt`, 'utf8')).toContain(
      `tokenizer_dir:${model}`,
    );
  });

  it('a second start reuses the cached engine: no convert, no build', () => {
    rmSync(log, { force: true });
    const result = start(planJson());
    expect(result.status, result.stderr).toBe(0);
    expect(calls().map((c) => c.split(' ')[0])).toEqual(['serve']);
  });

  it('refuses to run when the installed TensorRT-LLM is not the version the cache key names', () => {
    const result = start(planJson('1.2.0'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/has TensorRT-LLM 1.1.0 but the engine cache key says 1.2.0/);
  });
});
