import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback stand-in for the Hugging Face hub's dataset endpoints, as the dataset fetch uses them:
//   GET /api/datasets/{owner}/{name}/revision/{rev}   -> { sha, siblings: [{ rfilename }] }
//   GET /datasets/{owner}/{name}/resolve/{sha}/{file} -> the bytes (files marked `redirect` go through
//                                                         a 302 to /cdn/..., as LFS files do)
// Gated datasets answer 401 without `Authorization: Bearer <token>`.

export interface HubDataset {
  sha: string;
  files: Record<string, Buffer | string>;
  redirect?: string[];
  token?: string;
}

export interface DatasetsHub {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the double on 127.0.0.1 with `datasets` keyed by "owner/name". */
export async function startDatasetsHub(datasets: Record<string, HubDataset>): Promise<DatasetsHub> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const api = /^\/api\/datasets\/([^/]+\/[^/]+)\/revision\/(.+)$/.exec(path);
    const file = /^\/(?:datasets|cdn)\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const repo = datasets[(api ?? file)?.[1] ?? ''];
    if (!repo || (!api && !file)) {
      res.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end('{"error":"Repository not found"}');
      return;
    }
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) {
      res.writeHead(401, { 'x-error-code': 'GatedRepo' }).end('{"error":"gated"}');
      return;
    }
    if (api) {
      const siblings = Object.keys(repo.files).map((rfilename) => ({ rfilename }));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sha: repo.sha, siblings }));
      return;
    }
    const [, name, sha, rel] = file!;
    const content = repo.files[rel!];
    if (sha !== repo.sha || content === undefined) {
      res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('{"error":"not found"}');
      return;
    }
    if (path.startsWith('/datasets/') && repo.redirect?.includes(rel!)) {
      res.writeHead(302, { location: `/cdn/${name}/resolve/${sha}/${rel}` }).end();
      return;
    }
    res.writeHead(200, { 'content-length': Buffer.byteLength(content) }).end(content);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
