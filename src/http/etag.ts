import { createHash } from 'node:crypto';

/**
 * A strong validator of a representation: a hash of the JSON a GET answers. Any change to what the
 * client saw (a field, or anything else the GET includes) changes the tag.
 */
export const etagOf = (representation: unknown): string =>
  `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url')}"`;

export type Condition = '*' | readonly string[];

/**
 * `If-Match` (RFC 9110 §13.1.1): `*`, or entity tags compared strongly (a weak `W/"…"` never matches).
 * Each `"…"` in the header is a tag, whatever lies between them; one scan, no regex on client input.
 */
export function parseIfMatch(header: string | undefined): Condition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  let from = 0;
  for (;;) {
    const open = header.indexOf('"', from);
    const close = open === -1 ? -1 : header.indexOf('"', open + 1);
    if (close === -1) return tags;
    const weak = open - 2 >= from && header.startsWith('W/', open - 2);
    if (!weak) tags.push(header.slice(open, close + 1));
    from = close + 1;
  }
}

/** Whether the representation's tag satisfies the condition. */
export const matches = (condition: Condition, representation: unknown): boolean =>
  condition === '*' || condition.includes(etagOf(representation));
