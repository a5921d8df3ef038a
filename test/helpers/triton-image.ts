import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs containers/triton-python/start.sh as the image would, with a stand-in `tritonserver` on PATH
// (test/helpers/triton-python/stand_in_triton.py under /usr/bin/python3, or $PYTHON): the start
// script writes the real config.pbtxt and model repository, the stand-in serves the real model.py
// with a stand-in triton_python_backend_utils and small stand-in heads, on a free loopback port.

const HELPERS = fileURLToPath(new URL('./triton-python/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The Python the stand-ins run under (Debian's, per the project's rules). */
export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

/** A started stand-in image: its origin, and stop(). */
export interface StandInImage {
  origin: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the triton-python image's start script with `env` (MODEL_ID, ENCODER_TYPE, MAX_NUM_SEQS...). */
export async function startTritonPythonImage(env: Record<string, string>): Promise<StandInImage> {
  const bin = await mkdtemp(join(tmpdir(), 'gait-triton-bin-'));
  const server = join(bin, 'tritonserver');
  await writeFile(server, `#!/bin/sh\nexec "${PYTHON}" "${join(HELPERS, 'stand_in_triton.py')}" "$@"\n`);
  await chmod(server, 0o755);
  let log = '';
  const child: ChildProcess = spawn('bash', [join(ROOT, 'containers/triton-python/start.sh')], {
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: process.env.HOME ?? tmpdir(),
      DEVICE: 'cpu',
      ENCODER_HEADS_MODULE: 'stand_in_heads',
      STAND_IN_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
    await rm(bin, { recursive: true, force: true });
  };
  child.stderr?.on('data', (chunk) => {
    log += String(chunk);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stand-in Triton did not start:\n${log}`)), 20_000);
    child.stdout?.on('data', (chunk) => {
      log += String(chunk);
      const found = /listening (\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start.sh exited with ${code}:\n${log}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { origin: `http://127.0.0.1:${port}`, output: () => log, stop };
}
