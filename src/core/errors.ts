// One error type for everything the toolkit reports to a user: what went wrong, how to fix it, a
// stable code for scripts, and the cause. Entry points print `what` and `hint`, never a stack trace.
export interface ToolkitErrorOptions {
  code: string;
  hint?: string | undefined;
  cause?: unknown;
}

export class ToolkitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(what: string, options: ToolkitErrorOptions) {
    super(what, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolkitError';
    this.code = options.code;
    this.hint = options.hint;
  }

  /** The message a user sees: what went wrong, then the fix on its own line. */
  describe(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message;
  }
}

/** A command that failed: carries its argv, exit code and the tail of its stderr. */
export class CommandError extends ToolkitError {
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly stderrTail: string;
  readonly timedOut: boolean;

  constructor(
    argv: readonly string[],
    details: {
      exitCode?: number | undefined;
      stderrTail: string;
      timedOut: boolean;
      hint?: string;
      cause?: unknown;
    },
  ) {
    const why = details.timedOut ? 'timed out' : `exited with code ${details.exitCode ?? 'unknown'}`;
    const tail = details.stderrTail ? `\n--- last lines of stderr ---\n${details.stderrTail}` : '';
    super(`command ${why}: ${argv.join(' ')}${tail}`, {
      code: details.timedOut ? 'COMMAND_TIMEOUT' : 'COMMAND_FAILED',
      hint: details.hint,
      cause: details.cause,
    });
    this.name = 'CommandError';
    this.argv = argv;
    this.exitCode = details.exitCode;
    this.stderrTail = details.stderrTail;
    this.timedOut = details.timedOut;
  }

  /** True when the program never ran (not installed, not on PATH): no exit code and no timeout. */
  get notInstalled(): boolean {
    return this.exitCode === undefined && !this.timedOut;
  }
}

/** Turns anything thrown into the text a user should see (no stack unless DEBUG is set). */
export function describeError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof ToolkitError) return error.describe();
  if (env.DEBUG && error instanceof Error && error.stack) return error.stack;
  if (error instanceof Error) return `${error.name}: ${error.message}\n  (set DEBUG=1 for the stack trace)`;
  return String(error);
}
