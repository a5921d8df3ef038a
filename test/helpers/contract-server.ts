import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback stand-in for a server's request contract (the contract tests of the container images):
// reads each JSON body, refuses it with `refuseStatus` and the problems `check` found, else lets
// `answer` reply as the real server would.

export interface ContractServer {
  origin: string;
  close(): Promise<void>;
}

export async function startContractServer(options: {
  check: (body: Record<string, unknown>, req: IncomingMessage) => string[];
  refuseStatus: number;
  answer: (res: ServerResponse, req: IncomingMessage) => void;
}): Promise<ContractServer> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const problems = options.check(JSON.parse(raw) as Record<string, unknown>, req);
      if (problems.length) {
        res
          .writeHead(options.refuseStatus, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: problems.join('; ') }));
        return;
      }
      options.answer(res, req);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
