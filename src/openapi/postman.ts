import { convertV2 } from 'openapi-to-postmanv2';
import type { OpenApiDocument } from './document';

export const POSTMAN_FILE = 'docs/casting-agency.postman_collection.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Ids are random on every run; Postman assigns its own on import. Dropping them keeps the file stable. */
const withoutIds = (value: Json): Json => {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'id' && key !== '_postman_id')
      .map(([k, v]) => [k, withoutIds(v)]),
  );
};

/** Every request that needs a token takes it from the collection's `{{token}}` variable. */
const useTokenVariable = (value: Json): Json => JSON.parse(JSON.stringify(value).replaceAll('{{bearerToken}}', '{{token}}')) as Json;

/** Public routes (`security: []`) come out with `auth: null`, which would inherit the collection's token. */
const publicWithoutToken = (items: Json): void => {
  for (const item of Array.isArray(items) ? items : []) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const request = item.request as { [key: string]: Json } | undefined;
    if (request && request.auth === null) request.auth = { type: 'noauth' };
    publicWithoutToken(item.item ?? []);
  }
};

/** A copy of the document without HEAD and OPTIONS: requests someone tries in Postman are the API's own operations. */
const withoutImplicitMethods = (doc: OpenApiDocument): OpenApiDocument => {
  const copy = JSON.parse(JSON.stringify(doc)) as OpenApiDocument;
  for (const item of Object.values(copy.paths ?? {})) {
    delete (item as Record<string, unknown>).head;
    delete (item as Record<string, unknown>).options;
  }
  return copy;
};

/**
 * The Postman collection of the API, made by Postman's own converter from the OpenAPI document,
 * with `{{baseUrl}}` (the local server by default) and `{{token}}` (paste one from `npm run token`).
 */
export function toPostmanCollection(doc: OpenApiDocument, baseUrl = 'http://localhost:3000'): Promise<Json> {
  const options = { folderStrategy: 'Tags', parametersResolution: 'Example', includeAuthInfoInExample: false } as const;
  return new Promise((resolve, reject) => {
    convertV2({ type: 'json', data: withoutImplicitMethods(doc) }, options, (err, result) => {
      const collection = result?.output?.[0]?.data as { [key: string]: Json } | undefined;
      if (err || !result?.result || !collection) return reject(err ?? new Error(`conversion failed: ${result?.reason ?? 'no output'}`));
      publicWithoutToken(collection.item ?? []);
      collection.auth = { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] };
      collection.variable = [
        { key: 'baseUrl', value: baseUrl, type: 'string' },
        { key: 'token', value: '', type: 'string', description: 'A bearer token: `npm run --silent token -- producer` on a local server' },
      ];
      resolve(useTokenVariable(withoutIds(collection)));
    });
  });
}
