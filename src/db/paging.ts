/** A page of a list: `page` counts from 1, `limit` rows each. */
export type Page = { page: number; limit: number };

/** The rows before the page: what SQL's OFFSET skips. */
export const offsetOf = ({ page, limit }: Page): number => (page - 1) * limit;

/** `field` ascending or `-field` descending, from a fixed list: the repository maps the field to SQL. */
export type Sort<F extends string> = { field: F; descending: boolean };
