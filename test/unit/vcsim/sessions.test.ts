import { describe, expect, it } from 'vitest';
import { parseSessionCookie, SessionStore, sessionSetCookie } from '#local/vcsim/sessions';

describe('vcsim sessions', () => {
  it('reads the session cookie quoted, unquoted, among other cookies and with echoed attributes', () => {
    // Assess
    expect(parseSessionCookie('vmware_soap_session="abc"')).toBe('abc');
    expect(parseSessionCookie('vmware_soap_session=abc')).toBe('abc');
    expect(parseSessionCookie('other=1; vmware_soap_session="abc"; x=2')).toBe('abc');
    expect(parseSessionCookie('vmware_soap_session="abc"; Path=/; HttpOnly; Secure;')).toBe('abc');
    expect(parseSessionCookie('other=1')).toBeUndefined();
    expect(parseSessionCookie(undefined)).toBeUndefined();
  });

  it('issues a session whose cookie differs from UserSession.key, in vCenter Set-Cookie form (Secure only over https)', () => {
    // Prepare
    const store = new SessionStore(60_000, () => {});
    // Act
    const session = store.login('u', { ipAddress: '127.0.0.1', userAgent: 't' });
    // Assess
    expect(session.cookie).not.toBe(session.key);
    expect(sessionSetCookie(session, true)).toBe(`vmware_soap_session="${session.cookie}"; Path=/; HttpOnly; Secure;`);
    expect(sessionSetCookie(session, false)).toBe(`vmware_soap_session="${session.cookie}"; Path=/; HttpOnly;`);
    expect(store.lookup(`vmware_soap_session="${session.cookie}"`)).toBe(session);
  });

  it('forgets idle sessions and runs the end hook for their scoped objects', () => {
    // Prepare
    const ended: string[] = [];
    const store = new SessionStore(10, (s) => ended.push(s.key));
    const session = store.login('u', { ipAddress: '', userAgent: '' });
    session.lastActive = new Date(Date.now() - 1000);
    // Act
    const found = store.lookup(`vmware_soap_session=${session.cookie}`);
    // Assess
    expect(found).toBeUndefined();
    expect(ended).toEqual([session.key]);
  });
});
