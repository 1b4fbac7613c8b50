import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface StandinUser {
  name: string;
  token?: string;
  password?: string;
  /** What the user may do (default admin). */
  permissions?: 'admin' | 'read';
}

export type Grant = 'admin' | 'read' | 'none';

export interface Principal {
  name: string;
  anonymous: boolean;
  /** Authenticated with an API token (CSRF-exempt, reference §2). */
  viaToken: boolean;
  grant: Grant;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false };

function safeEq(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** IdStrategy.CaseInsensitive.keyFor: `id.toLowerCase(Locale.ENGLISH)`. */
function idKey(id: string): string {
  return id.toLowerCase();
}

/** Users, sessions and crumbs of one stand-in process. */
export class Security {
  private readonly users = new Map<string, StandinUser>();
  private readonly revoked = new Set<string>();
  private sessions = new Map<string, number>();
  /** Sessions signed in through the login form: session id → user name. */
  private sessionUsers = new Map<string, string>();
  private readonly salt = randomBytes(16).toString('hex');
  /** `JSESSIONID.<8 hex>`, random per process start. */
  readonly cookieName = `JSESSIONID.${randomBytes(4).toString('hex')}`;

  constructor(users: StandinUser[], readonly anonymousGrant: Grant) {
    // user ids are case-insensitive, as with Jenkins' default IdStrategy.CaseInsensitive
    // (jenkins.model.IdStrategy: keyFor lower-cases); the principal keeps the id as it was created
    for (const u of users) this.users.set(idKey(u.name), { ...u });
  }

  anonymous(): Principal {
    return { name: 'anonymous', anonymous: true, viaToken: false, grant: this.anonymousGrant };
  }

  /** Basic header processing: no header or non-Basic → anonymous; wrong credentials → not ok (401). */
  authenticate(header: string | undefined): AuthResult {
    if (!header) return { ok: true, principal: this.anonymous() };
    const m = /^\s*basic\s+(\S*)\s*$/i.exec(header);
    if (!m) {
      if (/^\s*basic\s*$/i.test(header)) return { ok: false };
      return { ok: true, principal: this.anonymous() };
    }
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false };
    const name = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const user = this.users.get(idKey(name));
    if (!user || this.revoked.has(idKey(name))) return { ok: false };
    const grant: Grant = user.permissions ?? 'admin';
    if (user.token !== undefined && safeEq(user.token, secret)) return { ok: true, principal: { name: user.name, anonymous: false, viaToken: true, grant } };
    if (user.password !== undefined && safeEq(user.password, secret)) return { ok: true, principal: { name: user.name, anonymous: false, viaToken: false, grant } };
    return { ok: false };
  }

  /** Credential revocation fault: the user's token and password stop working. */
  revoke(name: string): void {
    this.revoked.add(idKey(name));
  }
  restore(name?: string): void {
    if (name === undefined) this.revoked.clear();
    else this.revoked.delete(idKey(name));
  }

  /** Session id from the request's Cookie header, if it names a live session. */
  sessionFrom(cookieHeader: string | undefined): string | undefined {
    if (!cookieHeader) return undefined;
    for (const part of cookieHeader.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      if (part.slice(0, eq).trim() === this.cookieName) {
        const id = part.slice(eq + 1).trim();
        if (this.sessions.has(id)) return id;
      }
    }
    return undefined;
  }
  newSession(): string {
    const id = `node0${randomBytes(12).toString('hex')}.node0`;
    if (this.sessions.size > 100_000) this.sessions = new Map();
    this.sessions.set(id, Date.now());
    return id;
  }
  setCookie(id: string): string {
    return `${this.cookieName}=${id}; Path=/; HttpOnly`;
  }
  /** Session expiry fault: every session (and so every crumb) becomes invalid. */
  expireSessions(): void {
    this.sessions.clear();
    this.sessionUsers.clear();
  }

  /**
   * The login form (`j_spring_security_check`): the user's password, never an API token (the
   * security realm's form login checks passwords only). Returns the new, signed-in session id.
   */
  formLogin(name: string, password: string, oldSession: string | undefined): string | undefined {
    const user = this.users.get(idKey(name));
    if (!user || this.revoked.has(idKey(name)) || user.password === undefined || !safeEq(user.password, password)) return undefined;
    // session fixation protection: a new session replaces the old one
    if (oldSession !== undefined) this.logout(oldSession);
    const id = this.newSession();
    this.sessionUsers.set(id, user.name);
    return id;
  }
  /** The user signed in to this session, if any (and still valid). */
  sessionPrincipal(sessionId: string | undefined): Principal | undefined {
    if (sessionId === undefined) return undefined;
    const name = this.sessionUsers.get(sessionId);
    if (name === undefined || this.revoked.has(idKey(name))) return undefined;
    const user = this.users.get(idKey(name));
    if (!user) return undefined;
    return { name, anonymous: false, viaToken: false, grant: user.permissions ?? 'admin' };
  }
  logout(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.sessionUsers.delete(sessionId);
  }

  crumbFor(userName: string, sessionId: string | undefined): string {
    return createHash('sha256').update(`${userName};${sessionId ?? ''}${this.salt}`).digest('hex');
  }
  checkCrumb(p: Principal, sessionId: string | undefined, crumb: string | undefined): boolean {
    if (!crumb || sessionId === undefined) return false;
    return safeEq(this.crumbFor(p.name, sessionId), crumb);
  }
}

/** Overall/Job/View permissions the stand-in distinguishes. */
export type Permission = 'Overall/Read' | 'Job/Read' | 'Job/ExtendedRead' | 'Job/Create' | 'Job/Configure' | 'Job/Delete' | 'Job/Build' | 'Job/Cancel' | 'Job/Move' | 'View/Read' | 'View/Create' | 'View/Configure' | 'View/Delete' | 'Overall/Administer'
  | 'Agent/ExtendedRead' | 'Agent/Create' | 'Agent/Configure' | 'Agent/Delete' | 'Agent/Connect' | 'Agent/Disconnect';

export const PERMISSION_IDS: Record<Permission, { id: string; impliedBy: string[] }> = {
  'Overall/Read': { id: 'hudson.model.Hudson.Read', impliedBy: ['hudson.security.Permission.GenericRead', 'hudson.model.Hudson.Administer'] },
  'Overall/Administer': { id: 'hudson.model.Hudson.Administer', impliedBy: [] },
  'Job/Read': { id: 'hudson.model.Item.Read', impliedBy: ['hudson.security.Permission.GenericRead', 'hudson.model.Hudson.Administer'] },
  'Job/ExtendedRead': { id: 'hudson.model.Item.ExtendedRead', impliedBy: ['hudson.model.Item.Configure', 'hudson.security.Permission.GenericUpdate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Job/Create': { id: 'hudson.model.Item.Create', impliedBy: ['hudson.security.Permission.GenericCreate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Job/Configure': { id: 'hudson.model.Item.Configure', impliedBy: ['hudson.security.Permission.GenericUpdate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Job/Delete': { id: 'hudson.model.Item.Delete', impliedBy: ['hudson.security.Permission.GenericDelete', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  // cloudbees-folder RelocationAction.RELOCATE: Permission(Item.PERMISSIONS, "Move", ..., Permission.CREATE)
  'Job/Move': { id: 'hudson.model.Item.Move', impliedBy: ['hudson.security.Permission.GenericCreate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Job/Build': { id: 'hudson.model.Item.Build', impliedBy: ['hudson.security.Permission.GenericUpdate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Job/Cancel': { id: 'hudson.model.Item.Cancel', impliedBy: ['hudson.security.Permission.GenericUpdate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Agent/ExtendedRead': { id: 'hudson.model.Computer.ExtendedRead', impliedBy: ['hudson.model.Computer.Configure', 'hudson.security.Permission.GenericConfigure', 'hudson.security.Permission.GenericUpdate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Agent/Create': { id: 'hudson.model.Computer.Create', impliedBy: ['hudson.security.Permission.GenericCreate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Agent/Configure': { id: 'hudson.model.Computer.Configure', impliedBy: ['hudson.security.Permission.GenericConfigure', 'hudson.security.Permission.GenericUpdate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Agent/Delete': { id: 'hudson.model.Computer.Delete', impliedBy: ['hudson.security.Permission.GenericDelete', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'Agent/Connect': { id: 'hudson.model.Computer.Connect', impliedBy: ['hudson.model.Computer.Disconnect', 'hudson.model.Hudson.Administer'] },
  'Agent/Disconnect': { id: 'hudson.model.Computer.Disconnect', impliedBy: ['hudson.model.Hudson.Administer'] },
  'View/Read': { id: 'hudson.model.View.Read', impliedBy: ['hudson.security.Permission.GenericRead', 'hudson.model.Hudson.Administer'] },
  'View/Create': { id: 'hudson.model.View.Create', impliedBy: ['hudson.security.Permission.GenericCreate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'View/Configure': { id: 'hudson.model.View.Configure', impliedBy: ['hudson.security.Permission.GenericUpdate', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
  'View/Delete': { id: 'hudson.model.View.Delete', impliedBy: ['hudson.security.Permission.GenericDelete', 'hudson.security.Permission.GenericWrite', 'hudson.model.Hudson.Administer'] },
};

const READ_PERMS = new Set<Permission>(['Overall/Read', 'Job/Read', 'View/Read']);

export function hasPermission(p: Principal, perm: Permission): boolean {
  if (p.grant === 'admin') return true;
  if (p.grant === 'read') return READ_PERMS.has(perm);
  return false;
}
