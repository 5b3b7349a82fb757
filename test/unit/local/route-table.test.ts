import { describe, expect, it } from 'vitest';
import { makeRouteTable } from '#local/lambda/route-table';

const routes = [
  { method: 'POST', path: '/v1/clones' },
  { method: 'GET', path: '/v1/clones' },
  { method: 'GET', path: '/v1/clones/{jobId}' },
  { method: 'DELETE', path: '/v1/clones/{jobId}' },
  { method: 'GET', path: '/v1/clones/openapi' },
  { method: 'ANY', path: '/files/{path+}' },
];
const find = makeRouteTable(routes);

describe('makeRouteTable', () => {
  it('extracts and decodes path parameters', () => {
    // Act
    const match = find('GET', '/v1/clones/job%2F1');

    // Assess
    expect(match).toMatchObject({
      kind: 'found',
      routeKey: 'GET /v1/clones/{jobId}',
      pathParameters: { jobId: 'job/1' },
    });
  });

  it('prefers a literal route over a parameterised one', () => {
    // Act
    const match = find('GET', '/v1/clones/openapi');

    // Assess
    expect(match).toMatchObject({ kind: 'found', routeKey: 'GET /v1/clones/openapi' });
  });

  it('reports the allowed methods when only the method is wrong', () => {
    // Act
    const match = find('PUT', '/v1/clones/j1');

    // Assess
    expect(match.kind === 'method-not-allowed' && [...match.allowed].sort()).toEqual(['DELETE', 'GET']);
  });

  it('matches a greedy parameter across segments for any method', () => {
    // Act
    const match = find('PATCH', '/files/a/b/c.txt');

    // Assess
    expect(match).toMatchObject({ kind: 'found', pathParameters: { path: 'a/b/c.txt' } });
  });

  it('reports not-found for a path no route covers', () => {
    // Act
    const match = find('GET', '/v1/clones/j1/extra');

    // Assess
    expect(match).toEqual({ kind: 'not-found' });
  });
});
