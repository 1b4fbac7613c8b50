/**
 * A reverse proxy on a loopback port in front of a stand-in, as a gateway (nginx, a load balancer)
 * sits in front of a real Jenkins. Every request is forwarded as it is, unless `step` answers it
 * itself: the test then does what a person does in Jenkins at that very moment (rename a job, take
 * it over), and the gateway answers what a gateway answers when its upstream is slow (a 503 without
 * forwarding). So a race between jobsmith and a person is reproduced exactly, with no timing.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface GatewayRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** `POST createItem`, `POST config.xml`, `GET api/json`: the method and the last path segment. */
  route: string;
}

export interface Gateway {
  url: string;
  /** Requests seen, in order (routes). */
  seen: string[];
  close(): Promise<void>;
}

/** `step` returns a status to answer the request without forwarding it, or undefined to forward it. */
export async function startGateway(upstream: string, step: (r: GatewayRequest) => Promise<number | undefined> | number | undefined): Promise<Gateway> {
  const target = new URL(upstream);
  const seen: string[] = [];
  const open = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = req.url ?? '/';
        const pathOnly = url.split('?')[0]!.replace(/\/$/, '');
        const route = `${req.method} ${decodeURIComponent(pathOnly.slice(pathOnly.lastIndexOf('/') + 1))}`;
        seen.push(route);
        const answer = await step({ method: req.method ?? 'GET', url, route });
        if (answer !== undefined) {
          res.writeHead(answer, { 'content-type': 'text/html' }).end(`<html><body>${answer} from the gateway</body></html>`);
          return;
        }
        const headers = { ...req.headers, host: target.host };
        const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: url, headers }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        });
        up.on('error', () => res.writeHead(502).end());
        up.end(Buffer.concat(chunks));
      })();
    });
  });
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of open) s.destroy();
      }),
  };
}
