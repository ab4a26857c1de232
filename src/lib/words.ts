/** `actor` → `Actor`. */
export const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
