/**
 * Request parameters as Stapler's `getParameter` / `@QueryParameter` see them: the servlet parameters,
 * which are the query string followed by an `application/x-www-form-urlencoded` body (servlet spec
 * 3.1.1: query string data comes first). Form bodies without a charset are read as UTF-8
 * (`hudson.util.CharacterEncodingFilter` forces it when the client sends none).
 */
import type { Ctx } from './http-kit.js';

const forms = new WeakMap<Ctx, Array<[string, string]>>();

function isFormPost(ctx: Ctx): boolean {
  if (ctx.method !== 'POST') return false;
  const ct = String(ctx.req.headers['content-type'] ?? '').toLowerCase();
  return ct.startsWith('application/x-www-form-urlencoded');
}

/** Percent-decode one urlencoded component given as raw bytes (a latin1 string), then apply the charset. */
function decodeComponent(raw: string, latin1: boolean): string {
  const bytes = Buffer.alloc(raw.length);
  let n = 0;
  for (let k = 0; k < raw.length; k++) {
    const c = raw.charCodeAt(k);
    if (c === 43 /* + */) bytes[n++] = 32;
    else if (c === 37 /* % */ && /^[0-9a-fA-F]{2}$/.test(raw.slice(k + 1, k + 3))) {
      bytes[n++] = parseInt(raw.slice(k + 1, k + 3), 16);
      k += 2;
    } else bytes[n++] = c;
  }
  const buf = bytes.subarray(0, n);
  return latin1 ? buf.toString('latin1') : buf.toString('utf8');
}

/** Name/value pairs of a urlencoded form body (empty for other requests). */
export function formBody(ctx: Ctx): Array<[string, string]> {
  let pairs = forms.get(ctx);
  if (pairs) return pairs;
  pairs = [];
  if (isFormPost(ctx) && ctx.body.length > 0) {
    const cs = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(String(ctx.req.headers['content-type'] ?? ''));
    const latin1 = cs !== null && /^(iso-?8859-1|latin1|us-ascii)$/i.test(cs[1]!);
    for (const part of ctx.body.toString('latin1').split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      const v = eq < 0 ? '' : part.slice(eq + 1);
      pairs.push([decodeComponent(k, latin1), decodeComponent(v, latin1)]);
    }
  }
  forms.set(ctx, pairs);
  return pairs;
}

/** `request.getParameter(name)`: the first value from the query string, else from a form body. */
export function param(ctx: Ctx, name: string): string | null {
  const q = ctx.query.get(name);
  if (q !== null) return q;
  for (const [k, v] of formBody(ctx)) if (k === name) return v;
  return null;
}

/** Every parameter (query first, then form body), as one URLSearchParams. */
export function allParams(ctx: Ctx): URLSearchParams {
  const all = new URLSearchParams(ctx.query);
  for (const [k, v] of formBody(ctx)) all.append(k, v);
  return all;
}

/** Is there any parameter at all (query or form)? Used for Stapler's "form submission" diagnosis. */
export function hasAnyParam(ctx: Ctx): boolean {
  return [...ctx.query.keys()].length > 0 || formBody(ctx).length > 0;
}
