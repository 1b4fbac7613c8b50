/**
 * One HTTP exchange with Jenkins over an undici dispatcher: keep-alive pooling, an optional proxy
 * (undici EnvHttpProxyAgent), extra CA certificates, a concurrency gate and a timeout covering the
 * whole exchange (headers and body). Failures below HTTP become `network`/`timeout` JenkinsErrors.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import { undiciParts } from './undici-parts.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { JenkinsError } from './jenkins-error.js';

export interface TransportOptions {
  /** Jenkins root URL (may carry a context path such as `/jenkins/`). */
  baseUrl: URL;
  concurrency: number;
  timeoutMs: number;
  caFiles?: string[];
  proxy?: string;
  noProxy?: string;
  /** Applied to every error detail (credential redaction). */
  redact?: (text: string) => string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  /** Path relative to the Jenkins root, already encoded (`job/a/config.xml?x=1`). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Failure {
  operation: string;
  target?: string;
}

export class HttpTransport {
  readonly gate: ConcurrencyGate;
  private readonly dispatcher: Dispatcher;
  private readonly request: (dispatcher: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  private readonly origin: string;
  private readonly basePath: string;

  constructor(private readonly opts: TransportOptions) {
    this.gate = new ConcurrencyGate(opts.concurrency);
    this.origin = opts.baseUrl.origin;
    this.basePath = opts.baseUrl.pathname.endsWith('/') ? opts.baseUrl.pathname : opts.baseUrl.pathname + '/';
    const tls = opts.caFiles && opts.caFiles.length > 0 ? { ca: [...rootCertificates, ...opts.caFiles.map((f) => readFileSync(f, 'utf8'))] } : undefined;
    const agentOpts = {
      connections: opts.concurrency,
      connectTimeout: Math.min(opts.timeoutMs, 30_000),
      pipelining: 1,
      keepAliveTimeout: 30_000,
      ...(tls ? { connect: tls } : {}),
    };
    const undici = undiciParts();
    this.request = undici.request;
    this.dispatcher = opts.proxy
      ? new (undici.EnvHttpProxyAgent())({ ...agentOpts, httpProxy: opts.proxy, httpsProxy: opts.proxy, noProxy: opts.noProxy ?? '', ...(tls ? { requestTls: tls } : {}) })
      : new undici.Agent(agentOpts);
  }

  /** Absolute URL of a root-relative path (for messages and Location resolution). */
  url(path: string): URL {
    return new URL(this.origin + this.basePath + path);
  }

  async send(req: HttpRequest, failure: Failure): Promise<HttpResponse> {
    return this.gate.run(() => this.exchange(req, failure));
  }

  private async exchange(req: HttpRequest, failure: Failure): Promise<HttpResponse> {
    // One timer bounds the whole exchange (undici's own header/body timers are coarse below 1 s).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.opts.timeoutMs);
    try {
      const res = await this.request(this.dispatcher, {
        origin: this.origin,
        path: this.basePath + req.path,
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: controller.signal,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      return { status: res.statusCode, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) };
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new JenkinsError({ kind: 'timeout', ...failure, detail: `no complete answer within ${this.opts.timeoutMs} ms` });
      }
      const detail = describeNetworkError(err);
      throw new JenkinsError({ kind: 'network', ...failure, detail: this.opts.redact ? this.opts.redact(detail) : detail });
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

/** A short, credential-free description of a socket-level failure. */
function describeNetworkError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const msg = e.cause?.message ?? e.message ?? String(err);
  return code && !msg.includes(code) ? `${code} ${msg}` : msg;
}
