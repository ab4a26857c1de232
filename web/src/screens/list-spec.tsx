import type { ComponentChildren } from 'preact';
import { Permission, type Actor, type Movie } from '../api/types';
import { longDate } from '../format';
import { pathOf, type Resource } from '../router';

export type FilterSpec = { param: string; label: string; type: 'text' | 'number' | 'date'; min?: number; max?: number };
export type Column<T> = { label: string; cell: (row: T) => ComponentChildren; numeric?: boolean };

/** What differs between the actors list and the movies list; the screen itself is one (list.tsx). */
export type ListSpec<T extends { id: number }> = {
  resource: Resource;
  title: string;
  noun: string;
  itemsKey: string;
  countKey: string;
  sorts: { value: string; label: string }[];
  filters: FilterSpec[];
  columns: Column<T>[];
  create: { permission: Permission; label: string };
};

const link = (resource: Resource, id: number, text: string) => <a href={pathOf(resource, id)}>{text}</a>;

export const actorList: ListSpec<Actor> = {
  resource: 'actors',
  title: 'Actors',
  noun: 'actors',
  itemsKey: 'actors',
  countKey: 'all_actors',
  sorts: [
    { value: 'id', label: 'Oldest entries first' },
    { value: '-id', label: 'Newest entries first' },
    { value: 'name', label: 'Name, A to Z' },
    { value: '-name', label: 'Name, Z to A' },
    { value: 'age', label: 'Youngest first' },
    { value: '-age', label: 'Oldest first' },
  ],
  filters: [
    { param: 'gender', label: 'Gender', type: 'text' },
    { param: 'min_age', label: 'Minimum age', type: 'number', min: 0, max: 150 },
    { param: 'max_age', label: 'Maximum age', type: 'number', min: 0, max: 150 },
  ],
  columns: [
    { label: 'Name', cell: (a) => link('actors', a.id, a.name) },
    { label: 'Age', cell: (a) => a.age, numeric: true },
    { label: 'Gender', cell: (a) => a.gender },
  ],
  create: { permission: Permission.postActors, label: 'Add actor' },
};

export const movieList: ListSpec<Movie> = {
  resource: 'movies',
  title: 'Movies',
  noun: 'movies',
  itemsKey: 'movies',
  countKey: 'all_movies',
  sorts: [
    { value: 'id', label: 'Oldest entries first' },
    { value: '-id', label: 'Newest entries first' },
    { value: 'title', label: 'Title, A to Z' },
    { value: '-title', label: 'Title, Z to A' },
    { value: 'release_date', label: 'Earliest release first' },
    { value: '-release_date', label: 'Latest release first' },
  ],
  filters: [
    { param: 'released_after', label: 'Released on or after', type: 'date' },
    { param: 'released_before', label: 'Released on or before', type: 'date' },
  ],
  columns: [
    { label: 'Title', cell: (m) => link('movies', m.id, m.title) },
    { label: 'Release date', cell: (m) => <time dateTime={m.release_date}>{longDate(m.release_date)}</time> },
  ],
  create: { permission: Permission.postMovies, label: 'Add movie' },
};
