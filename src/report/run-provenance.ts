import { readFileSync, statSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CPU_ONLY, type Hardware } from '../hardware/types.ts';
import { runCommand } from '../process/run-command.ts';

// How a run was made, for `_summary.json`: this tool's version and commit, the Node version, the
// host and its detected accelerators, which HTTP client path sent the requests, and whether the
// target was the built-in simulator.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The `run` block of the summary. */
export interface RunProvenance {
  tool: { name: string; version: string; git_commit: string | null };
  node: string;
  host: { name: string; platform: string; arch: string; cpus: number };
  hardware: { kind: string; count: number; devices: string[] };
  /** raw-http (plain http://), undici (https://), sagemaker (SigV4 over undici), autocannon, or caller. */
  http_client: string;
  /** True when the run started the built-in simulator as its target (test:* with no GPU and no endpoint). */
  simulator: boolean;
}

/** The HTTP client path a run's requests take. Pure. */
export function httpClientPath(
  endpoint: string | undefined,
  engine: string,
  callerClient: boolean,
): RunProvenance['http_client'] {
  if (engine === 'autocannon') return 'autocannon';
  if (callerClient) return 'caller';
  if (endpoint?.startsWith('sagemaker://')) return 'sagemaker';
  return endpoint?.startsWith('http://') ? 'raw-http' : 'undici';
}

/** This checkout's commit: GAIT_GIT_COMMIT when set (images built without .git), else `git rev-parse`. */
export async function gitCommit(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (env.GAIT_GIT_COMMIT) return env.GAIT_GIT_COMMIT;
  const read = headFromFiles(ROOT, process.env);
  if (read) return read;
  try {
    const { stdout } = await runCommand(['git', 'rev-parse', 'HEAD'], { cwd: ROOT, timeoutMs: 5_000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** Variables that make git read another repository, work tree or ref namespace than `<root>/.git`. */
const GIT_LOCATION = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_NAMESPACE'];
const HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * HEAD's commit read from `<root>/.git` (a checkout or a worktree; a loose or packed branch ref, or
 * a detached HEAD) without spawning git, which costs a run about 30 ms of CPU. Undefined wherever
 * git itself might see something else (GIT_DIR and its kin, another owner's repository, a ref or layout
 * not read here): the caller then asks `git rev-parse HEAD`.
 */
export function headFromFiles(root: string, env: NodeJS.ProcessEnv): string | undefined {
  if (GIT_LOCATION.some((name) => env[name] !== undefined)) return undefined;
  try {
    let gitDir = join(root, '.git');
    const stat = statSync(gitDir);
    if (process.getuid && stat.uid !== process.getuid()) return undefined;
    if (stat.isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1]?.trim();
      if (!pointer) return undefined;
      gitDir = isAbsolute(pointer) ? pointer : join(root, pointer);
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (HASH.test(head)) return head;
    const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    let common = gitDir;
    try {
      const rel = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
      common = isAbsolute(rel) ? rel : join(gitDir, rel);
    } catch {
      // Not a linked worktree: refs live in the git directory itself.
    }
    for (const dir of new Set([gitDir, common])) {
      try {
        const loose = readFileSync(join(dir, ref), 'utf8').trim();
        return HASH.test(loose) ? loose : undefined;
      } catch {
        // Not a loose ref here.
      }
    }
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
    for (const line of packed.split('\n')) {
      const [hash, name] = line.trim().split(' ');
      if (name === ref && hash && HASH.test(hash)) return hash;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The provenance block; `hardware` is what the run detected (CPU only when nothing was detected). */
export async function runProvenance(input: {
  endpoint: string | undefined;
  engine: string;
  callerClient: boolean;
  hardware: Hardware | undefined;
  simulator: boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<RunProvenance> {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { name: string; version: string };
  const hardware = input.hardware ?? CPU_ONLY;
  return {
    tool: { name: pkg.name, version: pkg.version, git_commit: await gitCommit(input.env) },
    node: process.version,
    host: { name: hostname(), platform: process.platform, arch: process.arch, cpus: availableParallelism() },
    hardware: { kind: hardware.kind, count: hardware.count, devices: hardware.devices.map((d) => d.name) },
    http_client: httpClientPath(input.endpoint, input.engine, input.callerClient),
    simulator: input.simulator,
  };
}
