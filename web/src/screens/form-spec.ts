import type { ActorFields, MovieFields } from '../api/types';
import type { Resource } from '../router';

export type FieldSpec = {
  name: string;
  label: string;
  type: 'text' | 'number' | 'date';
  maxLength?: number;
  min?: number;
  max?: number;
  hint?: string;
  /** The problem with what was typed, as the API would word it; null when it is fine. */
  check(value: string): string | null;
  /** What is sent for it. */
  parse(value: string): unknown;
};

/** What differs between the actor form and the movie form; the screen is one (form.tsx). */
export type FormSpec = {
  resource: Resource;
  noun: string;
  /** The field whose value names the row (its heading, its messages). */
  titleField: string;
  fields: FieldSpec[];
  /** The answer's fields: the row of GET by id, the new row of POST, the changed one of PATCH. */
  keys: { detail: string; created: string; modified: string };
};

const trimmedText = (name: string, label: string, maxLength: number): FieldSpec => ({
  name,
  label,
  type: 'text',
  maxLength,
  check: (v) => (v.trim() === '' ? 'must not be empty' : v.trim().length > maxLength ? `must be at most ${maxLength} characters` : null),
  parse: (v) => v.trim(),
});

const age: FieldSpec = {
  name: 'age',
  label: 'Age',
  type: 'number',
  min: 0,
  max: 150,
  check: (v) => (!/^\s*\d+\s*$/.test(v) ? 'must be a whole number' : Number(v) > 150 ? 'must be at most 150' : null),
  parse: (v) => Number(v),
};

/** A real calendar date: the browser's date field gives YYYY-MM-DD, typed text is checked the same way. */
const isCalendarDate = (v: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m || m[1] === '0000') return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === v;
};

const releaseDate: FieldSpec = {
  name: 'release_date',
  label: 'Release date',
  type: 'date',
  check: (v) => (v === '' ? 'must not be empty' : isCalendarDate(v) ? null : 'must be a real calendar date, YYYY-MM-DD'),
  parse: (v) => v,
};

export const actorForm: FormSpec = {
  resource: 'actors',
  noun: 'actor',
  titleField: 'name',
  fields: [trimmedText('name', 'Name', 200), age, trimmedText('gender', 'Gender', 50)],
  keys: { detail: 'actor', created: 'new_actor', modified: 'modified_actor' },
};

export const movieForm: FormSpec = {
  resource: 'movies',
  noun: 'movie',
  titleField: 'title',
  fields: [trimmedText('title', 'Title', 200), releaseDate],
  keys: { detail: 'movie', created: 'new_movie', modified: 'modified_movie' },
};

export type Fields = ActorFields | MovieFields;
