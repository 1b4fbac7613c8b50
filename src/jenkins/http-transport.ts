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

/** A response whose body is read by the caller, chunk by chunk (`stream`). */
export interface StreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body; socket failures and idle timeouts surface as JenkinsErrors while iterating. */
  chunks: AsyncIterable<Buffer>;
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

  /**
   * One exchange whose body the caller consumes as it arrives (downloads of any size): the timeout
   * bounds the wait for the headers and each gap between body chunks, not the whole transfer. The
   * concurrency slot is held until `consume` returns; a body it leaves unread is discarded.
   */
  async stream<T>(req: HttpRequest, failure: Failure, consume: (res: StreamResponse) => Promise<T>): Promise<T> {
    return this.gate.run(async () => {
      let res: Dispatcher.ResponseData;
      try {
        res = await this.request(this.dispatcher, {
          origin: this.origin,
          path: this.basePath + req.path,
          method: req.method,
          headers: req.headers,
          body: req.body ?? null,
          headersTimeout: this.opts.timeoutMs,
          bodyTimeout: this.opts.timeoutMs,
        });
      } catch (err) {
        throw this.failed(err, failure, false);
      }
      const body = res.body;
      const wrap = (err: unknown): JenkinsError => this.failed(err, failure, false);
      const chunks: AsyncIterable<Buffer> = {
        async *[Symbol.asyncIterator]() {
          try {
            for await (const c of body) yield c as Buffer;
          } catch (err) {
            throw wrap(err);
          }
        },
      };
      try {
        return await consume({ status: res.statusCode, headers: res.headers, chunks });
      } finally {
        // a body left unread (an error answer, a download over its limit) is dropped with its connection
        if (!body.destroyed) {
          body.on('error', () => undefined);
          body.destroy();
        }
      }
    });
  }

  private failed(err: unknown, failure: Failure, timedOut: boolean): JenkinsError {
    if (err instanceof JenkinsError) return err;
    const code = (err as { code?: string }).code ?? '';
    if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new JenkinsError({ kind: 'timeout', ...failure, detail: `no answer for ${this.opts.timeoutMs} ms` });
    }
    const detail = describeNetworkError(err);
    return new JenkinsError({ kind: 'network', ...failure, detail: this.opts.redact ? this.opts.redact(detail) : detail });
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
