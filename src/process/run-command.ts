import { execa } from 'execa';
import { CommandError } from '../core/errors.ts';
import { tailLines } from '../core/tail.ts';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Every command has a timeout; long ones (builds) pass a larger one explicitly. */
  timeoutMs?: number;
  input?: string;
  /**
   * Called with each line of stdout/stderr as it arrives (build logs, compose up, logs --follow,
   * neuron-monitor). The output is then not kept whole: the result and the error hold only the
   * last TAIL_LINES lines of each stream, so a command that runs for days uses constant memory.
   */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  hint?: string;
  signal?: AbortSignal;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
/** Lines of each stream kept for the result when `onLine` streams them. */
export const TAIL_LINES = 200;

/**
 * The one place that runs processes. `argv` is built by a pure function elsewhere; nothing is passed
 * through a shell. A non-zero exit or a timeout raises a CommandError with the stderr tail.
 */
export async function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new TypeError('runCommand needs a non-empty argv');
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    input: options.input,
    reject: false,
    cancelSignal: options.signal,
    all: false,
    stripFinalNewline: true,
    ...(options.onLine ? { buffer: false } : {}),
  });
  const tails = { stdout: [] as string[], stderr: [] as string[] };
  if (options.onLine) {
    const onLine = options.onLine;
    const take = (line: string, name: 'stdout' | 'stderr') => {
      const tail = tails[name];
      tail.push(line);
      if (tail.length > TAIL_LINES * 2) tail.splice(0, tail.length - TAIL_LINES);
      onLine(line, name);
    };
    for (const [stream, name] of [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ] as const) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const line of parts) take(line, name);
      });
      stream?.on('end', () => buffered && take(buffered, name));
    }
  }
  const result = await child;
  const kept = (name: 'stdout' | 'stderr') => tails[name].slice(-TAIL_LINES).join('\n');
  const stdout = options.onLine ? kept('stdout') : String(result.stdout ?? '');
  const stderr = options.onLine ? kept('stderr') : String(result.stderr ?? '');
  if (result.failed) {
    const spawnFailed = result.exitCode === undefined && !result.timedOut;
    throw new CommandError(argv, {
      exitCode: result.exitCode,
      stderrTail: tailLines(stderr || (spawnFailed ? String(result.message ?? '') : stdout), 20),
      timedOut: Boolean(result.timedOut),
      hint: options.hint ?? (spawnFailed ? `is \`${file}\` installed and on PATH?` : undefined),
      cause: result.cause,
    });
  }
  return { stdout, stderr, exitCode: result.exitCode ?? 0 };
}

/** True when `file` can be run (a `--version`-style probe that never throws). */
export async function commandExists(argv: readonly string[], options: RunOptions = {}): Promise<boolean> {
  try {
    await runCommand(argv, { timeoutMs: 10_000, ...options });
    return true;
  } catch {
    return false;
  }
}
