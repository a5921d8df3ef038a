import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local HTTP server that speaks the Hugging Face hub's endpoints as huggingface_hub reads them
// (hf_api.py model_info, file_download.py get_hf_file_metadata / http_get, utils/_http.py errors):
//   GET  /api/models/{repo}[/revision/{rev}][?blobs=true]  -> {id, sha, siblings[{rfilename,size,blobId,lfs}]}
//   HEAD|GET /{repo}/resolve/{rev}/{file}                   -> X-Repo-Commit, ETag, Content-Length;
//        LFS files: 302 to /cdn/... with X-Linked-Etag (sha256) and X-Linked-Size
//   GET  /cdn/{sha256}                                       -> the bytes, with Range (206)
// Errors carry X-Error-Code (GatedRepo, RepoNotFound, RevisionNotFound, EntryNotFound) and X-Error-Message.

/** One file of a fake model; `lfs` files are served through the CDN redirect. */
export interface DoubleFile {
  content: Buffer;
  lfs?: boolean;
}

/** A fake model: its commits by revision name, and files. */
export interface DoubleModel {
  /** Commit hash; `revisions` maps branch/tag names to it (main is added). */
  sha: string;
  files: Record<string, DoubleFile>;
  /** Gated: needs `Authorization: Bearer <one of tokens>`. */
  gated?: boolean;
  tokens?: string[];
  revisions?: string[];
}

/** Faults to inject, keyed by file path. */
export interface DoubleFaults {
  /** Close the connection after this many bytes, on the next `times` downloads. */
  cut?: Record<string, { afterBytes: number; times: number }>;
  /** Serve bytes with one byte flipped, on the next `times` downloads. */
  corrupt?: Record<string, { times: number }>;
  /** Pause this long between 64 KiB chunks of every download (slows transfers to overlap processes). */
  chunkDelayMs?: number;
}

/** A logged request. */
export interface DoubleRequest {
  method: string;
  path: string;
  range?: string | undefined;
  authorization?: string | undefined;
}

/** The running double. */
export interface HubDouble {
  url: string;
  requests: DoubleRequest[];
  faults: DoubleFaults;
  close(): Promise<void>;
}

/** Git's blob id of some bytes. */
export function gitBlobSha1(content: Buffer | string): string {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** sha256 hex of some bytes. */
export function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The LFS pointer file git stores for a large file. */
export function lfsPointer(content: Buffer): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256Hex(content)}\nsize ${content.length}\n`;
}

function sibling(path: string, file: DoubleFile, blobs: boolean) {
  if (!blobs) return { rfilename: path };
  if (!file.lfs) return { rfilename: path, size: file.content.length, blobId: gitBlobSha1(file.content) };
  const pointer = lfsPointer(file.content);
  return {
    rfilename: path,
    size: file.content.length,
    blobId: gitBlobSha1(pointer),
    lfs: { sha256: sha256Hex(file.content), size: file.content.length, pointerSize: pointer.length },
  };
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    'x-error-code': code,
    'x-error-message': message,
    'content-type': 'application/json',
  });
  res.end(JSON.stringify({ error: message }));
}

// Starts the double on 127.0.0.1, port 0, serving `models` keyed by repo id.
export async function startHubDouble(
  models: Record<string, DoubleModel>,
  faults: DoubleFaults = {},
): Promise<HubDouble> {
  const requests: DoubleRequest[] = [];
  const blobsBySha = new Map<string, { path: string; content: Buffer }>();
  // Faults on an LFS file are keyed by the path of the first model listing its content.
  for (const model of Object.values(models))
    for (const [path, file] of Object.entries(model.files))
      if (file.lfs && !blobsBySha.has(sha256Hex(file.content)))
        blobsBySha.set(sha256Hex(file.content), { path, content: file.content });

  const authorize = (req: IncomingMessage, res: ServerResponse, repoId: string, model: DoubleModel) => {
    if (!model.gated) return true;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) {
      fail(
        res,
        401,
        'GatedRepo',
        `Access to model ${repoId} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
      );
      return false;
    }
    if (!(model.tokens ?? []).includes(token)) {
      fail(
        res,
        403,
        'GatedRepo',
        `Access to model ${repoId} is restricted and you are not in the authorized list. Visit https://huggingface.co/${repoId} to ask for access.`,
      );
      return false;
    }
    return true;
  };
  const commitOf = (model: DoubleModel, rev: string) =>
    rev === model.sha || rev === 'main' || (model.revisions ?? []).includes(rev) ? model.sha : undefined;
  const findRepo = (segments: string[]): [string, DoubleModel, string[]] | undefined => {
    for (const take of [2, 1]) {
      const id = segments.slice(0, take).join('/');
      const model = models[id];
      if (model) return [id, model, segments.slice(take)];
    }
    return undefined;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] === 'api' && segments[1] === 'models') {
      const found = findRepo(segments.slice(2));
      if (!found) return fail(res, 401, 'RepoNotFound', 'Repository not found');
      const [repoId, model, rest] = found;
      if (!authorize(req, res, repoId, model)) return;
      const rev = rest[0] === 'revision' ? (rest[1] ?? 'main') : 'main';
      const sha = commitOf(model, rev);
      if (!sha) return fail(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      const blobs = url.searchParams.get('blobs') === 'true';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: repoId,
          modelId: repoId,
          sha,
          gated: model.gated ? 'auto' : false,
          private: false,
          siblings: Object.entries(model.files).map(([p, f]) => sibling(p, f, blobs)),
        }),
      );
      return;
    }
    if (segments[0] === 'cdn') {
      const blob = blobsBySha.get(segments[1] ?? '');
      if (!blob) return fail(res, 404, 'EntryNotFound', 'Entry not found');
      return sendBytes(req, res, blob.path, blob.content, { etag: `"${sha256Hex(blob.content)}"` }, faults);
    }
    const resolveAt = segments.indexOf('resolve');
    const found = resolveAt > 0 ? findRepo(segments.slice(0, resolveAt)) : undefined;
    if (!found) return fail(res, 401, 'RepoNotFound', 'Repository not found');
    const [repoId, model] = found;
    if (!authorize(req, res, repoId, model)) return;
    const rev = segments[resolveAt + 1] ?? '';
    const path = segments.slice(resolveAt + 2).join('/');
    const sha = commitOf(model, rev);
    if (!sha) return fail(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    const file = model.files[path];
    if (!file) return fail(res, 404, 'EntryNotFound', 'Entry not found');
    if (file.lfs) {
      const pointer = lfsPointer(file.content);
      const digest = sha256Hex(file.content);
      res.writeHead(302, {
        location: `/cdn/${digest}?X-Amz-Expires=3600`,
        'x-repo-commit': sha,
        etag: `"${gitBlobSha1(pointer)}"`,
        'x-linked-etag': `"${digest}"`,
        'x-linked-size': String(file.content.length),
        'content-length': '0',
      });
      res.end();
      return;
    }
    return sendBytes(
      req,
      res,
      path,
      file.content,
      { etag: `"${gitBlobSha1(file.content)}"`, 'x-repo-commit': sha },
      faults,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendBytes(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  content: Buffer,
  headers: Record<string, string>,
  faults: DoubleFaults,
): void {
  let start = 0;
  let end = content.length - 1;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]), end) : end;
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${content.length}` });
      res.end();
      return;
    }
  }
  let body = content.subarray(start, end + 1);
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'accept-ranges': 'bytes',
    'content-length': String(body.length),
    'content-type': 'application/octet-stream',
    ...(range ? { 'content-range': `bytes ${start}-${end}/${content.length}` } : {}),
  });
  if (req.method === 'HEAD') return void res.end();
  const corrupt = faults.corrupt?.[path];
  if (corrupt && corrupt.times > 0) {
    corrupt.times--;
    body = Buffer.from(body);
    if (body.length > 0) body[body.length >> 1] = (body[body.length >> 1] ?? 0) ^ 0xff;
  }
  let limit = body.length;
  const cut = faults.cut?.[path];
  if (cut && cut.times > 0) {
    cut.times--;
    limit = Math.min(limit, cut.afterBytes);
  }
  const chunk = 64 * 1024;
  let offset = 0;
  const pump = () => {
    if (res.destroyed) return;
    if (offset >= limit) {
      if (limit < body.length) res.destroy();
      else res.end();
      return;
    }
    const piece = body.subarray(offset, Math.min(offset + chunk, limit));
    offset += piece.length;
    const more = res.write(piece);
    const go = () => (faults.chunkDelayMs ? setTimeout(pump, faults.chunkDelayMs) : setImmediate(pump));
    if (more) go();
    else res.once('drain', go);
  };
  pump();
}
