/** 100000 → "100 000": groups of three with a no-break space, the same in every locale. */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

/** "1–20 of 100 000", the rows of this page out of every matching row. */
export const range = (page: number, limit: number, rows: number, total: number): string =>
  `${count((page - 1) * limit + 1)}–${count((page - 1) * limit + rows)} of ${count(total)}`;

/** A YYYY-MM-DD date as people read it ("20 October 2006"), computed without time zones. */
export function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
