#!/usr/bin/env zx
// npm run sim -- [options]: the built-in inference simulator (vLLM OpenAI, Triton, DJL protocols on one
// port, a continuous-batching engine model). Runs until Ctrl-C.
import { runMain } from '../src/cli/run-main.ts';
import {
  formatScriptHelp,
  loadScriptConfig,
  parseScriptArgs,
  type ScriptSpec,
} from '../src/cli/script-help.ts';
import { ToolkitError } from '../src/core/errors.ts';
import { onShutdown } from '../src/core/shutdown.ts';
import { simOptionsFromConfig } from '../src/sim/options.ts';
import { isDeterministic, resolveSimOptions, startSimulator } from '../src/sim/start-simulator.ts';

/** The command line of `npm run sim`: the `sim:` settings. */
export const SPEC: ScriptSpec = {
  name: 'npm run sim',
  usage: 'npm run sim -- [--port 8080] [--ttft-ms X --itl-ms Y] [options]',
  about: `Serves OpenAI-compatible (vLLM), Triton KServe v2, DJL/SageMaker /invocations and TGI endpoints
on one port, timed by a model of a continuous-batching engine, or with fixed TTFT and inter-token gap
(--ttft-ms / --itl-ms). GET /metrics has vLLM's metric names; GET /sim/stats the simulator's lag.
README section "The simulator" (docs/simulator.md) describes the model.`,
  settings: ['sim'],
  flags: {
    config: { type: 'string', help: 'settings file (YAML) whose `sim:` section sets these options' },
    help: { type: 'boolean', short: 'h', help: 'print this help' },
  },
  examples: [
    'npm run sim -- --port 8080                            # engine timing model',
    'npm run sim -- --port 8080 --ttft-ms 50 --itl-ms 10   # deterministic: fixed TTFT and gaps',
    'MAX_NUM_SEQS=64 npm run sim -- --cut-rate 0.05        # server settings (MODEL_ID, MAX_NUM_SEQS, MAX_MODEL_LEN) apply',
  ],
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseScriptArgs(argv, SPEC);
  if (values.help) {
    process.stdout.write(formatScriptHelp(SPEC));
    return 0;
  }
  const files = typeof values.config === 'string' ? [values.config] : [];
  // SIM_CONFIG: the `sim:` section as JSON, as launch passes it to a simulator container.
  const simConfig = env.SIM_CONFIG ? { sim: parseSimConfig(env.SIM_CONFIG) } : undefined;
  const config = await loadScriptConfig(SPEC, values, {
    files,
    env,
    ...(simConfig ? { defaults: simConfig } : {}),
  });
  const options = resolveSimOptions(simOptionsFromConfig(config));
  const sim = await startSimulator(options);
  onShutdown(() => sim.close());
  const timing = isDeterministic(options)
    ? `deterministic: ttft ${options.ttftMs} ms, itl ${options.itlMs} ms`
    : `engine model: prefill ${options.prefillTokensPerSec} tok/s, step ${options.decodeBaseMs} ms + ${options.decodePerSeqMs} ms/seq`;
  process.stdout.write(
    `simulator listening on ${options.host}:${sim.port} (${sim.url})\n` +
      `  model ${options.model}, max_num_seqs ${options.maxNumSeqs}, max_model_len ${options.maxModelLen}, ${timing}\n` +
      `  prompt tokens: ${sim.tokenCounter}\n`,
  );
  // Serve until Ctrl-C / SIGTERM (onShutdown closes the server and exits).
  return new Promise<number>(() => {});
}

function parseSimConfig(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ToolkitError(`SIM_CONFIG is not JSON: ${(error as Error).message}`, {
      code: 'CONFIG_INVALID',
      hint: 'SIM_CONFIG holds the sim: section as JSON, e.g. {"itl_ms":10}; launch sets it',
    });
  }
}

runMain(import.meta.url, main);
