import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/openapi/document';

/**
 * Checks real answers against the OpenAPI document: the operation must be documented with that
 * status, and the body must validate against the documented schema (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1). Answers on undocumented paths or methods must be 404/405 errors (or
 * 400/429, which come before routing).
 */
export type Answer = { method: string; path: string; status: number; contentType: string; body: string };

const DOC = 'https://casting-agency.local/openapi.json';
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const ERROR_REF = '#/components/schemas/Error';
type Responses = Record<string, { content?: Record<string, unknown> }>;

export function createDocumentChecker(doc: OpenApiDocument = buildOpenApiDocument()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc as object, DOC);
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    if (!compiled.has(ref)) compiled.set(ref, ajv.compile({ $ref: `${DOC}${ref}` }));
    return compiled.get(ref)!;
  };
  // Literal paths before templated ones, so `/actors/{id}` never shadows a fixed path.
  const templates = Object.keys(doc.paths ?? {})
    .sort((a, b) => a.split('{').length - b.split('{').length)
    .map((path) => ({ path, regexp: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

  const validate = (ref: string, body: string, what: string): string[] => {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${what}: the body is not JSON: ${body.slice(0, 80)}`];
    }
    const check = validator(ref);
    if (check(value)) return [];
    return [`${what}: ${ajv.errorsText(check.errors)} in ${body.slice(0, 300)}`];
  };

  return function check({ method, path, status, contentType, body }: Answer): string[] {
    if (method === 'HEAD' || method === 'OPTIONS' || status === 204 || status === 304) return [];
    if (/^\/docs\/./.test(path)) return []; // Swagger UI's own scripts and styles
    const what = `${method} ${path} → ${status}`;
    const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
    // A path documented with its slash (`/docs/`) is itself; any other matches without it, as Express routes it.
    const template = (templates.find((t) => t.regexp.test(path)) ?? templates.find((t) => t.regexp.test(normalized)))?.path;
    const operation = template ? (doc.paths?.[template] as Record<string, { responses: Responses }>)[method.toLowerCase()] : undefined;
    // The web app's own screens (`/app/actors/12` is its page, 503 when it is not built) and its hashed files; their errors are still checked.
    if (!template && /^\/app\/./.test(path)) {
      if (status < 400) return [];
      if (status === 503) return validate(ERROR_REF, body, what);
    }
    if (!template || !operation) {
      // Before routing: a token in the URL (400), a path that cannot be decoded (400), the rate limit (429).
      if (![400, 404, 405, 429].includes(status)) return [`${what}: the route is not in the document`];
      return validate(ERROR_REF, body, what);
    }
    const documented = operation.responses[String(status)];
    if (!documented) return [`${what}: status ${status} is not documented for ${method} ${template}`];
    const mediaTypes = Object.keys(documented.content ?? {});
    if (mediaTypes.length === 0) return [];
    const mediaType = mediaTypes.find((m) => contentType.startsWith(m));
    if (!mediaType) return [`${what}: Content-Type ${contentType} is not one of ${mediaTypes.join(', ')}`];
    if (mediaType !== 'application/json') return [];
    const problems = validate(
      `#/${pointer('paths', template, method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema')}`,
      body,
      what,
    );
    if (status >= 400 && problems.length === 0 && JSON.parse(body).error !== status) problems.push(`${what}: body.error is not the status`);
    return problems;
  };
}

/** Wraps a request listener so that every answer it gives is passed to `onAnswer` once it is sent. */
export function recordAnswers(app: RequestListener, onAnswer: (answer: Answer) => void): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk && typeof chunk !== 'function')
        chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding as BufferEncoding));
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((...args: unknown[]) => (keep(args[0], args[1]), write(...args))) as ServerResponse['write'];
    res.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      const result = end(...args);
      const contentType = String(res.getHeader('content-type') ?? '');
      onAnswer({ method: req.method ?? 'GET', path, status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8') });
      return result;
    }) as ServerResponse['end'];
    app(req, res);
  };
}

/** A problem with the answer, and the test (Jest's name for it) that was running when it came. */
type Problem = { test: string | undefined; text: string };
const currentTest = () => expect.getState().currentTestName;

export const conformanceError = (problems: string[], cause?: unknown) =>
  new Error(`answers that do not match the OpenAPI document (src/openapi):\n${[...new Set(problems)].join('\n')}`, { cause });

export type Conformance = ReturnType<typeof documentConformance>;
// Every checker of this test file, so that the hook after each test (tests/kit/conformance-hooks.ts) sees them all.
const checkers = new Set<Conformance>();

/**
 * Every answer the wrapped app gives is checked against the document. A problem belongs to the test
 * that was running: the role-bound client rejects that test's request with it (tests/kit/clients.ts),
 * the hook after each test fails the test with any left (answers on a server of the test's own), and
 * `assertNone()` reports what came outside any test (e.g. in `beforeAll`) when the file's context closes.
 */
export function documentConformance() {
  const check = createDocumentChecker();
  let problems: Problem[] = [];
  const conformance = {
    wrap: (app: RequestListener) =>
      recordAnswers(app, (answer) => {
        for (const text of check(answer)) problems.push({ test: currentTest(), text: `${currentTest() ?? '(no test)'}: ${text}` });
      }),
    /** Removes and returns the problems recorded while the current test (or hook) ran. */
    takeCurrent(): string[] {
      const test = currentTest();
      const taken = problems.filter((p) => p.test === test).map((p) => p.text);
      problems = problems.filter((p) => p.test !== test);
      return taken;
    },
    assertNone(): void {
      const left = problems.map((p) => p.text);
      problems = [];
      if (left.length > 0) throw conformanceError(left);
    },
  };
  checkers.add(conformance);
  return conformance;
}

/** Throws with the problems of the current test's answers, from every checker of the file. */
export function assertCurrentTestConforms(): void {
  const problems = [...checkers].flatMap((c) => c.takeCurrent());
  if (problems.length > 0) throw conformanceError(problems);
}
