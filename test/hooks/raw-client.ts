/**
 * One HTTP/1.1 request over a plain socket, for what fetch cannot do: send the head and hold the body
 * back (or trickle it), and count how many body bytes had been sent when the answer began.
 */
import net from 'node:net';

export interface RawAnswer {
  /** undefined: no answer before the watchdog (the server is still waiting for the body). */
  status?: number;
  headers: Record<string, string>;
  body: string;
  json?: any;
  /** Body bytes the client had sent when the first byte of the answer arrived (an upper bound of what the server read). */
  bodySentBeforeAnswer: number;
  /** The server closed the connection after its answer. */
  closedByServer: boolean;
}

export interface BodyPlan {
  /** The body itself (its length is declared unless `declare` says otherwise). */
  body?: Buffer;
  /** Content-Length to declare (default the body's length). */
  declare?: number;
  /** Bytes of the body sent right after the head (default none). */
  first?: number;
  /** Then this many bytes every `everyMs`, until the body is sent or the answer begins. */
  trickle?: { bytes: number; everyMs: number };
  /**
   * Send `Expect: 100-continue` and hold the body (`first`, then the trickle) until the server's
   * `100 Continue`; `onContinue` is called then. The interim answer is not the answer.
   */
  expectContinue?: { onContinue?: () => void };
}

export function rawPost(baseUrl: string, path: string, headers: Record<string, string>, plan: BodyPlan, watchdogMs = 8_000): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = plan.body ?? Buffer.alloc(0);
  return new Promise((resolve) => {
    const sock = net.connect(Number(url.port), url.hostname);
    let sent = 0;
    let answered: number | undefined;
    let closedByServer = false;
    const received: Buffer[] = [];
    let tick: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(watchdog);
      if (tick) clearInterval(tick);
      sock.destroy();
      const text = Buffer.concat(received).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const head = end >= 0 ? text.slice(0, end) : text;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      const hs: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) hs[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const rest = end >= 0 ? text.slice(end + 4) : '';
      let json: any;
      try {
        json = JSON.parse(rest);
      } catch {
        json = undefined;
      }
      resolve({ ...(m ? { status: Number(m[1]) } : {}), headers: hs, body: rest, json, bodySentBeforeAnswer: answered ?? sent, closedByServer });
    };
    const watchdog = setTimeout(finish, watchdogMs);
    const write = (n: number): void => {
      if (answered !== undefined || sent >= body.length || sock.destroyed) return;
      const part = body.subarray(sent, Math.min(body.length, sent + n));
      sent += part.length;
      sock.write(part);
    };
    const startBody = (): void => {
      write(plan.first ?? 0);
      if (plan.trickle) tick = setInterval(() => write(plan.trickle!.bytes), plan.trickle.everyMs);
    };
    let waitingForContinue = plan.expectContinue !== undefined;
    const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n');
    sock.on('connect', () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${url.host}`, `Content-Length: ${plan.declare ?? body.length}`, ...(waitingForContinue ? ['Expect: 100-continue'] : []), ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      sock.write(lines.join('\r\n') + '\r\n\r\n');
      if (!waitingForContinue) startBody();
    });
    sock.on('data', (data: Buffer) => {
      let chunk = data;
      if (waitingForContinue) {
        waitingForContinue = false;
        if (chunk.subarray(0, CONTINUE.length).equals(CONTINUE)) {
          chunk = chunk.subarray(CONTINUE.length);
          startBody();
          plan.expectContinue?.onContinue?.();
          if (chunk.length === 0) return;
        }
      }
      if (answered === undefined) answered = sent;
      if (tick) clearInterval(tick);
      received.push(chunk);
    });
    sock.on('end', () => {
      closedByServer = true;
      finish();
    });
    sock.on('error', () => finish());
    sock.on('close', () => finish());
  });
}
