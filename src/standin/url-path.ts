/** Turn a raw request target into decoded path segments, refusing ambiguous encodings like Jetty 12. */

export type ParsedPath =
  | { ok: true; segments: string[]; trailingSlash: boolean; rawPath: string; rawQuery: string }
  | { ok: false; message: string };

export function parsePath(target: string): ParsedPath {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  if (!rawPath.startsWith('/')) return { ok: false, message: 'Bad Request' };
  if (/%2f|%5c/i.test(rawPath)) return { ok: false, message: 'Ambiguous URI path separator' };
  if (/%00|\u0000/.test(rawPath)) return { ok: false, message: 'Ambiguous URI path encoding' };
  const out: string[] = [];
  const raw = rawPath.split('/');
  for (let k = 1; k < raw.length; k++) {
    const r = raw[k]!;
    let seg: string;
    try {
      seg = decodeURIComponent(r);
    } catch {
      return { ok: false, message: 'Bad Request' };
    }
    if ((seg === '.' || seg === '..') && r !== seg) return { ok: false, message: 'Ambiguous URI path segment' };
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return { ok: false, message: 'Bad Request' };
      out.pop();
      continue;
    }
    if (seg.includes('\\')) return { ok: false, message: 'Ambiguous URI path separator' };
    out.push(seg);
  }
  return { ok: true, segments: out, trailingSlash: rawPath.endsWith('/'), rawPath, rawQuery };
}

/**
 * Route key for counts and faults: the action after the object path, e.g. `api/json`,
 * `createItem`, `config.xml`, `job/` (item page), `run/api/json` (a build), `queue/item/api/json`,
 * `computer/config.xml` (an agent), `label/api/json`.
 */
export function routeKey(method: string, segs: string[]): string {
  let k = 0;
  let kind = '/';
  while (k < segs.length) {
    const s = segs[k];
    if ((s === 'job' || s === 'view') && k + 1 < segs.length) {
      kind = `${s}/`;
      k += 2;
    } else if (kind === 'job/' && /^(\d+|lastBuild|lastCompletedBuild|lastSuccessfulBuild|lastFailedBuild|lastStableBuild)$/.test(s!)) {
      kind = 'run/';
      k += 1;
    } else if (k === 0 && s === 'queue' && segs[1] === 'item' && segs[2] !== undefined) {
      kind = 'queue/item/';
      k += 3;
    } else if (k === 0 && s === 'computer' && segs[1] !== undefined && !['api', 'doCreateItem', 'createItem'].includes(segs[1])) {
      kind = 'computer/';
      k += 2;
    } else if (k === 0 && s === 'label' && segs[1] !== undefined) {
      kind = 'label/';
      k += 2;
    } else break;
  }
  const rest = segs.slice(k).join('/');
  if (rest === '') return `${method} ${kind}`;
  if (kind === 'run/' || kind === 'queue/item/' || kind === 'computer/' || kind === 'label/') return `${method} ${kind}${rest}`;
  return `${method} ${rest}`;
}
