/**
 * An example for every JSON answer that has none, built from its schema and the component
 * examples (an actor is Kevin, a movie The Prestige). Without one, tools that read the document
 * (Postman's converter, Swagger UI) invent random values; this keeps them plausible and stable.
 */
type Schema = {
  $ref?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  type?: string;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
};
type Components = Record<string, Schema>;

const EXAMPLE_DATE = '2006-10-20';

/** What an `ETag` looks like: a quoted SHA-256 of the representation, base64url. */
export const ETAG_EXAMPLE = '"0ZEqzW1bY6cX0Ovb8wKJSwJ5V2nTQ0TtcpVnEyDv7Oo"';

export function exampleOf(schema: Schema, components: Components): unknown {
  if (schema.$ref) return exampleOf(components[schema.$ref.replace('#/components/schemas/', '')] ?? {}, components);
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([name]) => schema.required?.includes(name))
          .map(([name, property]) => [name, exampleOf(property, components)]),
      );
    case 'array':
      return schema.items ? [exampleOf(schema.items, components)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
    case 'boolean':
      return true;
    case 'string':
      return schema.format === 'date' ? EXAMPLE_DATE : 'string';
    default:
      return null;
  }
}

type MediaType = { schema?: Schema; example?: unknown };
type Document = {
  paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, MediaType> }> }>>;
  components?: { schemas?: Components };
};

/** Adds the missing examples to the JSON answers of a generated document, in place. */
export function addResponseExamples<T extends object>(doc: T): T {
  const { paths = {}, components = {} } = doc as Document;
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      for (const response of Object.values(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (json?.schema && json.example === undefined) json.example = exampleOf(json.schema, components.schemas ?? {});
      }
    }
  }
  return doc;
}
