import type { ServerResponse } from 'node:http';
import { isStarting, type SimContext } from './context.ts';
import { decodeName } from './decode-path.ts';
import { sendEmpty, sendJson } from './replies.ts';

// GET endpoints: health probes of each server family, model lists and metadata, /metrics, /sim/stats.
const TRITON_META = /^\/v2\/models\/([^/]+)(?:\/versions\/[^/]+)?(\/ready)?$/;

/** Triton server and model metadata / readiness (GET /v2, /v2/models/{m}, /v2/models/{m}/ready). */
export function handleTritonGet(ctx: SimContext, path: string, res: ServerResponse): boolean {
  if (path === '/v2') {
    sendJson(res, 200, { name: 'triton', version: 'sim', extensions: ['generate', 'statistics'] });
    return true;
  }
  const match = TRITON_META.exec(path);
  if (!match) return false;
  if (match[2]) {
    sendEmpty(res, isStarting(ctx) ? 503 : 200);
    return true;
  }
  const name = decodeName(match[1]!);
  sendJson(res, 200, {
    name,
    versions: ['1'],
    platform: 'python',
    inputs: [{ name: 'text_input', datatype: 'BYTES', shape: [-1] }],
    outputs: [{ name: 'text_output', datatype: 'BYTES', shape: [-1] }],
  });
  return true;
}

/** Paths answered to GET (for 405 on other methods). */
export const GET_PATHS = new Set([
  '/health',
  '/ping',
  '/v2/health/ready',
  '/v2/health/live',
  '/v1/models',
  '/metrics',
  '/sim/stats',
  '/version',
]);

/** Health, models, metrics and stats; false when the path is not one of them. */
export function handleGet(ctx: SimContext, path: string, res: ServerResponse): boolean {
  const starting = isStarting(ctx);
  switch (path) {
    case '/health':
    case '/v2/health/ready':
      sendEmpty(res, starting ? 503 : 200);
      return true;
    case '/v2/health/live':
      sendEmpty(res, 200);
      return true;
    case '/ping':
      sendJson(res, starting ? 503 : 200, { status: starting ? 'Unhealthy' : 'Healthy' });
      return true;
    case '/version':
      sendJson(res, 200, { version: 'gen-ai-inference-testing-sim' });
      return true;
    case '/v1/models':
      sendJson(res, 200, {
        object: 'list',
        data: [
          {
            id: ctx.options.model,
            object: 'model',
            created: ctx.now(),
            owned_by: 'vllm',
            root: ctx.options.model,
            parent: null,
            max_model_len: ctx.options.maxModelLen,
          },
        ],
      });
      return true;
    case '/metrics': {
      const text = ctx.metrics.render(ctx.options.model, ctx.engine.gauges());
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
      return true;
    }
    case '/sim/stats':
      sendJson(res, 200, ctx.metrics.stats(ctx.engine.gauges()));
      return true;
    default:
      return false;
  }
}
