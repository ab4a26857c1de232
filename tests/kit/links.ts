/**
 * The `Link` header of a paged list, by relation: `{ first: '/actors?page=1', next: … }`. Our
 * targets never hold a raw `,` or `>` (src/http/page-links.ts escapes them), so splitting on
 * `, ` is exact; a part in any other form fails the test that reads it.
 */
export function linksOf(header: string | undefined): Record<string, string> {
  if (header === undefined) throw new Error('the answer has no Link header');
  return Object.fromEntries(
    header.split(', ').map((part) => {
      const match = /^<([^<>]*)>; rel="(first|prev|next|last)"$/.exec(part);
      if (!match) throw new Error(`not a link this API sends: ${part}`);
      return [match[2], match[1]];
    }),
  );
}

/** The `page` a link points at. */
export const pageOf = (link: string): number => Number(new URL(link, 'http://x').searchParams.get('page'));
