import { userSession } from '../properties/object-properties.js';
import { serviceContent } from '../service-content.js';
import { faults } from '../soap/faults.js';
import { bool, dateTime } from '../soap/vim-value.js';
import { childText } from '../soap/xml-reader.js';
import type { MethodTable } from './method.js';

/**
 * ServiceInstance and SessionManager methods: RetrieveServiceContent, CurrentTime, Login, Logout, SessionIsActive.
 * Login accepts the configured username/password, or any non-empty pair when none is configured.
 */
export const sessionMethods: MethodTable = {
  RetrieveServiceContent: {
    on: ['ServiceInstance'],
    anonymous: true,
    run: ({ state, clientVersion }) => serviceContent(state.options, clientVersion),
  },
  CurrentTime: {
    on: ['ServiceInstance'],
    run: () => dateTime(new Date()),
  },
  Login: {
    on: ['SessionManager'],
    anonymous: true,
    run: (ctx) => {
      const userName = childText(ctx.request, 'userName') ?? '';
      const password = childText(ctx.request, 'password') ?? '';
      const { username: wantedUser, password: wantedPassword } = ctx.state.options;
      const credentialsGiven = userName !== '' && password !== '';
      const matchesConfigured =
        (wantedUser === undefined || wantedUser === userName) &&
        (wantedPassword === undefined || wantedPassword === password);
      if (!credentialsGiven || !matchesConfigured) throw faults.invalidLogin();
      const session = ctx.state.sessions.login(userName, {
        locale: childText(ctx.request, 'locale') || undefined,
        ipAddress: ctx.client.ipAddress,
        userAgent: ctx.client.userAgent,
      });
      session.callCount = 1;
      ctx.startSession(session);
      return userSession(session);
    },
  },
  Logout: {
    on: ['SessionManager'],
    run: ({ state, session }) => {
      if (session) state.sessions.end(session);
      return undefined;
    },
  },
  SessionIsActive: {
    on: ['SessionManager'],
    run: ({ state, request }) => {
      const key = childText(request, 'sessionID');
      const user = childText(request, 'userName');
      return bool(state.sessions.list().some((s) => s.key === key && s.userName === user));
    },
  },
};
