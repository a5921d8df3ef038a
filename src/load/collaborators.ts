import type { Config } from '../config/index.ts';
import { createProtocolClient } from '../protocols/index.ts';
import type { ProtocolClient } from '../protocols/types.ts';
import { createRequestFactory } from '../workload/request-factory.ts';
import type { RequestFactory } from '../workload/types.ts';
import type { LoadPlan } from './plan.ts';
import { requestHeaders } from './request-headers.ts';

// Where the runner gets its protocol client and request factory when the caller passes none.

/** The protocol client for a run: one connection pool sized for the users or concurrency cap
 * (`undefined`: as many connections as requests in flight). */
export function defaultClient(config: Config, connections: number | undefined): ProtocolClient {
  return createProtocolClient({
    ...(connections !== undefined ? { connections } : {}),
    contentType: config.content_type,
    maxReplyBytes: Math.round(config.load.max_reply_mb * 1024 * 1024),
    headers: requestHeaders(config.load),
    sagemaker: { endpointUrl: config.load.sagemaker_runtime_url },
  });
}

/**
 * Connections one of `workerCount` processes needs: its share of the most users or of the cap.
 * Open loop without a cap: undefined (no limit), since a request waiting for a free connection would
 * be sent late and the open loop would quietly become a closed one.
 */
export function connectionsFor(plan: LoadPlan, workerCount: number): number | undefined {
  if (plan.maxConcurrency === undefined && plan.stages.some((s) => s.mode === 'open')) return undefined;
  const users = Math.max(...plan.stages.map((s) => s.users ?? 0), plan.maxConcurrency ?? 0, 1);
  return Math.ceil(users / workerCount);
}

/** The request factory for one worker (the workload module: request config or synthetic). */
export function defaultFactory(
  config: Config,
  workerIndex: number,
  workerCount: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RequestFactory> {
  return createRequestFactory(config, { workerIndex, workerCount, seed: config.load.seed, env });
}
