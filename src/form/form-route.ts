/** A page module of the form server (`serve`): the build archive's `/archive` is one. */
import type http from 'node:http';

export interface RouteContext {
  /** The signed-in user (from the proxy's header), if any. */
  user?: string;
  /** Why this user may not use the server (answer 403), if so. */
  refusal?: string;
  /** Response headers every page of the server carries (CSP, nosniff, ...). */
  headers: Record<string, string>;
}

/** Answers the requests it owns (resolves true) and leaves the rest to the form. */
export interface FormRoute {
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, ctx: RouteContext): Promise<boolean>;
}
