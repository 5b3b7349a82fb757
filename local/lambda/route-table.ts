/** A route as API Gateway writes it: `GET /v1/clones/{jobId}`; `{name+}` is a greedy (multi-segment) parameter. */
export type RouteSpec = { method: string; path: string };

export type RouteMatch<R extends RouteSpec> =
  | { kind: 'found'; route: R; routeKey: string; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

type CompiledRoute<R> = { route: R; method: string; pattern: RegExp; names: string[] };

/**
 * Matches request paths against API Gateway-style route templates. Literal routes beat parameterised
 * ones of the same shape because routes are tried most-literal first, like API Gateway's
 * "most specific route wins". Path parameters are URL-decoded; a malformed escape leaves the raw text.
 * A method of `ANY` matches every method.
 */
export function makeRouteTable<R extends RouteSpec>(
  routes: readonly R[],
): (method: string, path: string) => RouteMatch<R> {
  const compiled = routes.map((route) => compile(route)).sort((a, b) => specificity(b) - specificity(a));
  return (method, path) => {
    const allowed = new Set<string>();
    for (const entry of compiled) {
      const match = entry.pattern.exec(path);
      if (!match) continue;
      if (entry.method !== 'ANY' && entry.method !== method.toUpperCase()) {
        allowed.add(entry.method);
        continue;
      }
      const pathParameters: Record<string, string> = {};
      entry.names.forEach((name, index) => {
        pathParameters[name] = safeDecode(match[index + 1] ?? '');
      });
      return { kind: 'found', route: entry.route, routeKey: `${entry.method} ${entry.route.path}`, pathParameters };
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  };
}

function compile<R extends RouteSpec>(route: R): CompiledRoute<R> {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1] ?? '');
      return param[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, method: route.method.toUpperCase(), pattern: new RegExp(`^${source}$`), names };
}

function specificity(route: CompiledRoute<unknown>): number {
  return route.pattern.source.length - route.names.length * 1000;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
