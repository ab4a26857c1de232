import type { RequestListener } from 'node:http';
import request from 'supertest';
import type { Role } from '../../src/auth/permissions';
import { conformanceError } from './openapi-check';

/**
 * Supertest on one app: `api.get('/actors')` asks anonymously, `api.as('director')` is the same
 * client with the director's bearer token on every request (`as(null)`: none again).
 */
export type Client = ReturnType<typeof request> & { as(role: Role | null): Client };

export type ClientOptions = {
  /** The `Authorization` header value for a role. */
  bearer: (role: Role) => string;
  /**
   * The document problems of the answers the current test got so far; a request whose answer finds
   * any is rejected with them, so the test that awaits it fails where it asked.
   */
  takeProblems?: () => string[];
};

export function roleBoundClient(app: RequestListener, options: ClientOptions, role: Role | null = null): Client {
  const { bearer, takeProblems = () => [] } = options;
  const rejectNonConforming = (test: request.Test) => {
    const end = test.end.bind(test);
    test.end = (callback) =>
      end((err, res) => {
        const problems = takeProblems();
        callback?.(problems.length > 0 ? conformanceError(problems, err) : err, res);
      });
    return test;
  };
  // One function per HTTP method (`get`, `post`, … and `del`), as supertest's own.
  const methods = Object.entries(request(app) as unknown as Record<string, (url: string) => request.Test>).map(([method, open]) => [
    method,
    (url: string) => rejectNonConforming(role ? open(url).set('Authorization', bearer(role)) : open(url)),
  ]);
  return { ...Object.fromEntries(methods), as: (other: Role | null) => roleBoundClient(app, options, other) } as Client;
}
