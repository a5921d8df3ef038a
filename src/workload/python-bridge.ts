import { type ChildProcess, spawn } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolkitError } from '../core/errors.ts';
import type { PromptSource, Yielded } from './generator-types.ts';

// A user's Python prompt generator (the old framework's extension point), run by the shipped helper
// python/prompt_bridge.py in a child process that streams one JSON item per line. Items are read on
// demand: past `readAhead` queued items the pipe is paused, so the Python side blocks on a full pipe.
// One bridge per load worker; users of a worker take items in the order the generator yields them.
// (A long-lived child read as a stream, so node:child_process rather than the run-to-completion
// process runner in src/process/.)

/** The helper script shipped with the project. */
export const BRIDGE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'prompt_bridge.py');

export interface PythonBridgeOptions {
  /** The Python executable (load.python, PYTHON, else python3). */
  python: string;
  /** The generator module's .py file. */
  file: string;
  /** The class (or function) the config's prompt_generator names. */
  className: string;
  /** Keyword arguments for the constructor (workload.options / PROMPT_KWARGS); none: `Class()`. */
  kwargs: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /** Items queued before reading pauses (default 256). */
  readAhead?: number;
}

/** The last lines of a traceback or of stderr: what a user needs to find the fault. */
function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

interface BridgeError {
  kind: 'import' | 'missing' | 'empty' | 'raised';
  message: string;
  traceback: string;
}

function errorFor(e: BridgeError, options: PythonBridgeOptions): ToolkitError {
  const where = `Python prompt generator ${options.file}`;
  const trace = e.traceback ? `\n--- traceback (last lines) ---\n${tail(e.traceback)}` : '';
  if (e.kind === 'import') {
    return new ToolkitError(`${where}: cannot import the module: ${e.message}${trace}`, {
      code: 'GENERATOR_MISSING',
      hint: 'install what it imports for this Python (PYTHON / load.python chooses which), or fix the module',
    });
  }
  if (e.kind === 'missing') {
    return new ToolkitError(`${where}: ${e.message}`, {
      code: 'GENERATOR_MISSING',
      hint: 'set prompt_generator to the class the module defines',
    });
  }
  if (e.kind === 'empty') {
    return new ToolkitError(`${where}: ${e.message}`, {
      code: 'GENERATOR_EMPTY',
      hint: 'check its dataset and filters',
    });
  }
  return new ToolkitError(`${where} raised ${e.message}${trace}`, {
    code: 'GENERATOR_FAILED',
    hint: 'fix the generator (the traceback above ends where it failed); the run was stopped',
  });
}

/**
 * Starts the bridge and resolves once the first item has arrived, so a missing module, class or
 * Python fails before the run starts. The source is endless (`size` Infinity): it wraps around by
 * building the generator again in Python.
 */
export async function startPythonBridge(options: PythonBridgeOptions): Promise<PromptSource> {
  const readAhead = options.readAhead ?? 256;
  const moduleName = basename(options.file).replace(/\.py$/, '');
  const args = [BRIDGE_SCRIPT, dirname(options.file), moduleName, options.className];
  if (Object.keys(options.kwargs).length) args.push(JSON.stringify(options.kwargs));
  const child: ChildProcess = spawn(options.python, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...options.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
  });
  const queue: Yielded[] = [];
  const waiters: { resolve: (item: Yielded) => void; reject: (error: unknown) => void }[] = [];
  let failure: ToolkitError | undefined;
  let closing = false;
  let stderr = '';
  let partial = '';
  let paused = false;

  const fail = (error: ToolkitError) => {
    if (failure || closing) return;
    failure = error;
    for (const w of waiters.splice(0)) w.reject(error);
    child.kill('SIGTERM');
  };
  const deliver = (item: Yielded) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(item);
    else queue.push(item);
    if (queue.length >= readAhead && !paused) {
      paused = true;
      child.stdout!.pause();
    }
  };
  const onLine = (line: string) => {
    if (!line) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      fail(
        new ToolkitError(`Python prompt generator ${options.file}: the bridge sent a line that is not JSON`, {
          code: 'GENERATOR_FAILED',
          hint: `report it; the line began: ${line.slice(0, 80)}`,
        }),
      );
      return;
    }
    const error = (parsed as { error?: BridgeError } | null)?.error;
    if (error && !Array.isArray(parsed)) fail(errorFor(error, options));
    else deliver(parsed as Yielded);
  };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = tail(stderr + chunk, 40);
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    fail(
      new ToolkitError(
        error.code === 'ENOENT'
          ? `${options.python} not found: Python is needed to run the prompt generator ${options.file}`
          : `cannot start ${options.python} for ${options.file}: ${error.message}`,
        {
          code: 'GENERATOR_FAILED',
          hint: 'install python3 (Debian: apt-get install python3), or point PYTHON / load.python at a Python 3 with what the module imports',
        },
      ),
    );
  });
  const exited = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      fail(
        new ToolkitError(
          `the Python bridge for ${options.file} exited (${signal ?? `code ${code}`}) before the run ended${stderr ? `\n--- its last stderr lines ---\n${stderr}` : ''}`,
          { code: 'GENERATOR_FAILED', hint: 'see its output above; the run was stopped' },
        ),
      );
      resolve();
    });
  });

  const next = (): Promise<Yielded> => {
    const item = queue.shift();
    if (paused && queue.length < readAhead / 2) {
      paused = false;
      child.stdout!.resume();
    }
    if (item !== undefined) return Promise.resolve(item);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  };
  const close = async () => {
    closing = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  };

  // The first item (kept at the front of the queue), or the error that came instead.
  try {
    queue.unshift(await next());
  } catch (error) {
    await close();
    throw error;
  }
  return { size: Number.POSITIVE_INFINITY, get: next, close };
}
