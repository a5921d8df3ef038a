import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStarting, type SimContext } from './context.ts';
import { BadPath, decodeName } from './decode-path.ts';
import { parseInvocations } from './djl.ts';
import { parseClassify, parseEmbeddings, parseRerank, parseScore, parseTritonInfer } from './encoders.ts';
import { type GenFormat, type GenRequest, serveGeneration } from './generation.ts';
import { GET_PATHS, handleGet, handleTritonGet } from './get-routes.ts';
import { chatFormat, completionFormat } from './openai-format.ts';
import { parseChat, parseCompletion } from './openai-parse.ts';
import { type Family, readBody, sendError, sendJson } from './replies.ts';
import { parseTgi } from './tgi.ts';
import { parseTritonGenerate, tritonGenerateFormat } from './triton-generate.ts';

// Routes every protocol on one port. POST bodies are read, parsed as JSON, handed to the protocol's
// parser (whose string result is the 400 message), then served through the engine. Whatever a client
// sends, the process stays up: a malformed path is a 400, a body past sim max_body_mb a 413 (and the
// connection closes), anything thrown while routing a 500.
const TRITON_MODEL = /^\/v2\/models\/([^/]+)(?:\/versions\/[^/]+)?\/(infer|generate|generate_stream)$/;

type Parsed = { gen: GenRequest; format: GenFormat } | string;
type PostRoute = { family: Family; parse: (body: Record<string, unknown>, ctx: SimContext) => Parsed };

const openaiRoutes: Record<string, PostRoute> = {
  '/v1/completions': {
    family: 'openai',
    parse: (body, ctx) => {
      const r = parseCompletion(body);
      return typeof r === 'string'
        ? r
        : { gen: r, format: completionFormat(modelOf(body, ctx), r.stream, r.includeUsage) };
    },
  },
  '/v1/chat/completions': {
    family: 'openai',
    parse: (body, ctx) => {
      const r = parseChat(body);
      return typeof r === 'string'
        ? r
        : { gen: r, format: chatFormat(modelOf(body, ctx), r.stream, r.includeUsage) };
    },
  },
  '/v1/embeddings': {
    family: 'openai',
    parse: (body, ctx) =>
      parseEmbeddings(body, modelOf(body, ctx), ctx.options.embeddingDim, ctx.options.seed),
  },
  '/invocations': { family: 'djl', parse: (body, ctx) => parseInvocations(body, ctx.options.model) },
  '/generate': { family: 'tgi', parse: (body) => parseTgi(body, false) },
  '/generate_stream': { family: 'tgi', parse: (body) => parseTgi(body, true) },
};
const rerank: PostRoute = {
  family: 'openai',
  parse: (b, ctx) => parseRerank(b, modelOf(b, ctx), ctx.options.seed),
};
const score: PostRoute = {
  family: 'openai',
  parse: (b, ctx) => parseScore(b, modelOf(b, ctx), ctx.options.seed),
};
const classify: PostRoute = {
  family: 'openai',
  parse: (b, ctx) => parseClassify(b, modelOf(b, ctx), ctx.options.seed),
};
for (const path of ['/rerank', '/v1/rerank', '/v2/rerank']) openaiRoutes[path] = rerank;
for (const path of ['/score', '/v1/score']) openaiRoutes[path] = score;
for (const path of ['/classify', '/v1/classify']) openaiRoutes[path] = classify;

function modelOf(body: Record<string, unknown>, ctx: SimContext): string {
  return typeof body.model === 'string' && body.model ? body.model : ctx.options.model;
}

function tritonRoute(path: string): PostRoute | undefined {
  const match = TRITON_MODEL.exec(path);
  if (!match) return undefined;
  const model = decodeName(match[1]!);
  const action = match[2];
  if (action === 'infer') {
    return {
      family: 'triton',
      parse: (b, ctx) => parseTritonInfer(b, model, ctx.options.embeddingDim, ctx.options.seed),
    };
  }
  const stream = action === 'generate_stream';
  return {
    family: 'triton',
    parse: (body) => {
      const r = parseTritonGenerate(body);
      if (typeof r === 'string') return r;
      return { gen: r.gen, format: tritonGenerateFormat(model, stream, r.gen.prompt, r.excludeInput) };
    },
  };
}

/** The node:http request handler of a simulator. */
export function createHandler(ctx: SimContext): (req: IncomingMessage, res: ServerResponse) => void {
  const route = routeRequest(ctx);
  return (req, res) => {
    try {
      route(req, res);
    } catch (error) {
      req.resume();
      const bad = error instanceof BadPath;
      if (!res.headersSent)
        sendJson(res, bad ? 400 : 500, { detail: bad ? error.message : 'internal error' });
      else res.destroy();
    }
  };
}

function routeRequest(ctx: SimContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    (req as { arrivedAt?: number }).arrivedAt = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    if (req.method === 'POST') {
      const route = openaiRoutes[path] ?? tritonRoute(path);
      if (route) {
        void handlePost(ctx, req, res, route).catch((error: unknown) =>
          error instanceof BadPath
            ? sendError(res, route.family, 400, error.message)
            : sendError(res, route.family, 500, 'internal error'),
        );
        return;
      }
      if (path === '/sim/stats/reset') {
        ctx.metrics.resetStats();
        sendJson(res, 200, { reset: true });
        return;
      }
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      if (handleGet(ctx, path, res) || handleTritonGet(ctx, path, res)) return;
    }
    req.resume();
    const known = openaiRoutes[path] || TRITON_MODEL.test(path) || GET_PATHS.has(path);
    sendJson(res, known ? 405 : 404, { detail: known ? 'Method Not Allowed' : 'Not Found' });
  };
}

async function handlePost(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: PostRoute,
): Promise<void> {
  const limit = ctx.options.maxBodyBytes;
  const text = await readBody(req, limit);
  if (text === undefined) {
    ctx.metrics.recordError(413);
    res.setHeader('connection', 'close');
    res.once('finish', () => req.destroy());
    sendError(res, route.family, 413, `request body is larger than ${limit} bytes`);
    return;
  }
  if (isStarting(ctx)) {
    ctx.metrics.recordError(503);
    sendError(res, route.family, 503, 'the server is starting up; try again shortly');
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const why = (error as Error).message;
    ctx.metrics.recordError(400);
    const message =
      route.family === 'triton'
        ? `failed to parse the request JSON buffer: ${why}`
        : `Invalid JSON in the request body: ${why}`;
    sendError(res, route.family, 400, message);
    return;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    ctx.metrics.recordError(400);
    sendError(res, route.family, 400, 'the request body must be a JSON object');
    return;
  }
  const parsed = route.parse(body as Record<string, unknown>, ctx);
  if (typeof parsed === 'string') {
    ctx.metrics.recordError(400);
    sendError(res, route.family, 400, parsed);
    return;
  }
  serveGeneration(ctx, req, res, parsed.gen, parsed.format);
}
