/**
 * A tiny scripted HTTP server on a loopback port for protocol edge cases the stand-in does not
 * (and should not) produce: exact header bytes, persistent crumb refusal, in-flight counting.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface LocalServer {
  url: string;
  seen: Seen[];
  maxInFlight: number;
  sockets: number;
  close(): Promise<void>;
}

export async function localServer(handler: (req: Seen, res: http.ServerResponse) => void | Promise<void>): Promise<LocalServer> {
  const state = { inFlight: 0, maxInFlight: 0, sockets: 0 };
  const seen: Seen[] = [];
  const open = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      try {
        await handler(s, res);
      } finally {
        state.inFlight--;
      }
    });
  });
  server.on('connection', (sock) => {
    state.sockets++;
    open.add(sock);
    sock.on('close', () => open.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    get maxInFlight() {
      return state.maxInFlight;
    },
    get sockets() {
      return state.sockets;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of open) s.destroy();
      }),
  };
}
