import { randomBytes, randomUUID } from 'node:crypto';

/** The cookie real vCenter uses for vim25 sessions. */
export const SESSION_COOKIE = 'vmware_soap_session';

/** A logged-in vim25 session. `cookie` authenticates requests; `key` is UserSession.key (deliberately different). */
export interface Session {
  readonly cookie: string;
  readonly key: string;
  readonly userName: string;
  readonly loginTime: Date;
  readonly locale: string;
  readonly ipAddress: string;
  readonly userAgent: string;
  lastActive: Date;
  callCount: number;
  /** Session-scoped objects (property collectors, filters, views) that die with the session. */
  readonly objects: Set<string>;
}

/**
 * All live sessions by cookie value. A session idle for longer than `idleTimeoutMs` is gone the next time it is
 * looked up, as on vCenter (default 30 min). `onEnd` lets owners of session-scoped objects clean up.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly onEnd: (session: Session) => void,
  ) {}

  /** Creates a session; the caller sets the cookie `vmware_soap_session="<cookie>"`. */
  login(userName: string, details: { locale?: string; ipAddress: string; userAgent: string }): Session {
    const now = new Date();
    const session: Session = {
      cookie: randomBytes(20).toString('hex'),
      key: randomUUID(),
      userName,
      loginTime: now,
      lastActive: now,
      locale: details.locale ?? 'en_US',
      ipAddress: details.ipAddress,
      userAgent: details.userAgent,
      callCount: 0,
      objects: new Set(),
    };
    this.sessions.set(session.cookie, session);
    return session;
  }

  /**
   * The live session named by a Cookie header (quoted or not, among other cookies, with or without the Path/HttpOnly
   * attributes pyVmomi echoes back). Touches it. Returns `undefined` for no cookie, an unknown one or an idle one.
   */
  lookup(cookieHeader: string | undefined, sessionHeader?: string): Session | undefined {
    const cookie = sessionHeader ?? parseSessionCookie(cookieHeader);
    if (cookie === undefined) return undefined;
    const session = this.sessions.get(cookie);
    if (!session) return undefined;
    const now = Date.now();
    if (now - session.lastActive.getTime() > this.idleTimeoutMs) {
      this.end(session);
      return undefined;
    }
    session.lastActive = new Date(now);
    session.callCount += 1;
    return session;
  }

  /** Logout: the cookie stops working at once and session-scoped objects are destroyed. */
  end(session: Session): void {
    if (this.sessions.delete(session.cookie)) this.onEnd(session);
  }

  /** Test hook: every session ends, so the next call faults with NotAuthenticated. */
  expireAll(): void {
    for (const session of [...this.sessions.values()]) this.end(session);
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /** A session-scoped moref value in vCenter's form `session[<session key>]<guid>`. */
  scopedId(session: Session): string {
    const id = `session[${session.key}]${randomUUID()}`;
    session.objects.add(id);
    return id;
  }
}

/** The `vmware_soap_session` value from a Cookie header, quotes stripped; `undefined` when absent. */
export function parseSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    return value === '' ? undefined : value;
  }
  return undefined;
}

/**
 * The Set-Cookie value real vCenter sends (reference §1.3): quoted value, `Path=/; HttpOnly; Secure;`. `Secure` only
 * when the session was started over https: vCenter is https-only, but a simulator on plain http that marked the
 * cookie `Secure` would be answered by standards-following jars (Go's net/http, browsers, tough-cookie) without it.
 */
export function sessionSetCookie(session: Session, secure: boolean): string {
  return `${SESSION_COOKIE}="${session.cookie}"; Path=/; HttpOnly;${secure ? ' Secure;' : ''}`;
}
