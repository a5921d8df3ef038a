import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

// Puts test/fixtures/hardware/fake-nvidia-smi.sh on PATH as `nvidia-smi` (in a temp folder) and
// returns the env to pass to the code under test, plus a cleanup.
export async function fakeNvidiaSmi(extra: NodeJS.ProcessEnv = {}): Promise<{
  env: NodeJS.ProcessEnv;
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'gait-fake-nvsmi-'));
  await copyFile(resolve('test/fixtures/hardware/fake-nvidia-smi.sh'), join(dir, 'nvidia-smi'));
  await chmod(join(dir, 'nvidia-smi'), 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    FAKE_NVIDIA_SMI_FIXTURES: resolve('test/fixtures/nvidia-smi/h100-80gb'),
    FAKE_NVIDIA_SMI_STATE: join(dir, 'calls'),
    ...extra,
  };
  return { env, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
