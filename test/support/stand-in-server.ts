/**
 * A hostile or broken stand-in server for journeys: answers CORS for any origin (with
 * credentials), records every request, and lets a journey decide each answer. With `websocket`,
 * it accepts websocket upgrades and never answers on them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface StandInRequest {
  method: string;
  path: string;
  url: URL;
}

export interface StandInServer {
  origin: string;
  requests: StandInRequest[];
  /** Requests with this method and path. */
  count(method: string, path: string): number;
  /** Websocket connections accepted (and left unanswered). */
  sockets: number;
  close(): Promise<void>;
}

export type StandInHandler = (request: StandInRequest, res: ServerResponse, origin: string) => void;

export async function startStandInServer(handler: StandInHandler, options: { websocket?: boolean } = {}): Promise<StandInServer> {
  const requests: StandInRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-headers', 'content-type, accept, authorization');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const request = { method: req.method ?? 'GET', path: url.pathname, url };
    requests.push(request);
    // Drain the body; nothing here needs it.
    req.resume();
    req.on('end', () => handler(request, res, `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  const wss = options.websocket ? new WebSocketServer({ server }) : undefined;
  const stats = { sockets: 0 };
  wss?.on('connection', () => {
    stats.sockets += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    count: (method, path) => requests.filter((r) => r.method === method && r.path === path).length,
    get sockets() {
      return stats.sockets;
    },
    close: async () => {
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers `body` as JSON. */
export function answerJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
