import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import { useLoad } from '../api/use-load';
import { ScreenHeading } from '../components/heading';
import { Problem } from '../components/problem';
import { count, range } from '../format';
import { BASE, navigate, type Place } from '../router';
import { useCan } from '../session/can';
import type { ListSpec } from './list-spec';

const DEFAULT_LIMIT = '20';
const LIMITS = ['20', '50', '100'];
const TYPING_DELAY_MS = 300;

type Params = Record<string, string>;

/** The list's state as the URL holds it: only the parameters this list knows, empty ones left out. */
function paramsOf(search: string, spec: Pick<ListSpec<{ id: number }>, 'filters'>): Params {
  const known = ['q', 'sort', 'page', 'limit', ...spec.filters.map((f) => f.param)];
  const all = new URLSearchParams(search);
  return Object.fromEntries(known.flatMap((k) => (all.get(k) ? [[k, all.get(k)!]] : [])));
}

const queryOf = (params: Params) => {
  const query = new URLSearchParams(params).toString();
  return query ? `?${query}` : '';
};

export function ListScreen<T extends { id: number }>({ spec, place }: { spec: ListSpec<T>; place: Place }) {
  const can = useCan();
  const params = paramsOf(place.search, spec);
  const [draft, setDraft] = useState(params);
  const written = useRef(place.search);
  const typing = useRef<{ field: string; timer: number } | null>(null);

  // Back/forward (or a link) changed the URL: the fields show what it says.
  useEffect(() => {
    if (place.search !== written.current) setDraft(paramsOf(place.search, spec));
    written.current = place.search;
  }, [place.search]);
  useEffect(() => () => window.clearTimeout(typing.current?.timer), []);

  const path = `${BASE}/${spec.resource}`;
  const apply = (next: Params, replace = false) => {
    const href = `${path}${queryOf(next)}`;
    written.current = queryOf(next);
    navigate(href, { replace });
  };
  /** A change of what is listed starts again at page 1; text waits until typing pauses. */
  const change = (name: string, value: string, typed = false) => {
    const { page: _page, ...rest } = { ...draft, [name]: value };
    const next = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
    setDraft(next);
    window.clearTimeout(typing.current?.timer);
    if (!typed) return apply(next);
    const sameField = typing.current?.field === name;
    typing.current = { field: name, timer: window.setTimeout(() => apply(next, sameField), TYPING_DELAY_MS) };
  };

  const limit = Number(params.limit ?? DEFAULT_LIMIT);
  const page = Number(params.page ?? '1');
  const apiQuery = queryOf({ ...params, limit: String(limit), page: String(page) });
  const load = useLoad(`${spec.resource}${apiQuery}`, (signal) => api.get<Record<string, unknown>>(`/${spec.resource}${apiQuery}`, signal));
  const rows = (load.answer?.body[spec.itemsKey] as T[] | undefined) ?? [];
  const total = (load.answer?.body[spec.countKey] as number | undefined) ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const pageHref = (n: number) => `${path}${queryOf({ ...params, page: String(n) })}`;

  return (
    <>
      <div class="screen-head">
        <ScreenHeading title={spec.title}>{spec.title}</ScreenHeading>
        {can(spec.create.permission) && (
          <button type="button" onClick={() => navigate(`${path}/new`)}>
            {spec.create.label}
          </button>
        )}
      </div>
      <form class="filters" role="search" aria-label={`Find ${spec.noun}`} onSubmit={(e) => e.preventDefault()}>
        <div class="field grow">
          <label for="list-q">Search</label>
          <input
            id="list-q"
            type="search"
            value={draft.q ?? ''}
            onInput={(e) => change('q', e.currentTarget.value, true)}
            maxLength={200}
          />
        </div>
        {spec.filters.map((f) => (
          <div class="field" key={f.param}>
            <label for={`list-${f.param}`}>{f.label}</label>
            <input
              id={`list-${f.param}`}
              type={f.type as 'text'}
              min={f.min}
              max={f.max}
              inputMode={f.type === 'number' ? 'numeric' : undefined}
              value={draft[f.param] ?? ''}
              onInput={(e) => change(f.param, e.currentTarget.value, true)}
            />
          </div>
        ))}
        <div class="field">
          <label for="list-sort">Sort by</label>
          <select id="list-sort" value={draft.sort ?? 'id'} onChange={(e) => change('sort', e.currentTarget.value)}>
            {spec.sorts.map((s) => (
              <option value={s.value} key={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="list-limit">Per page</label>
          <select id="list-limit" value={String(limit)} onChange={(e) => change('limit', e.currentTarget.value)}>
            {LIMITS.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </div>
      </form>
      {load.error ? <Problem error={load.error} onRetry={load.reload} /> : null}
      <p role="status" class="summary">
        {load.answer === null
          ? 'Loading…'
          : rows.length > 0
            ? `${range(page, limit, rows.length, total)} ${spec.noun}`
            : total > 0
              ? `Page ${count(page)} is past the last page (${count(lastPage)}).`
              : `No ${spec.noun} match.`}
      </p>
      {rows.length > 0 && (
        <table aria-busy={load.loading ? 'true' : 'false'}>
          <thead>
            <tr>
              {spec.columns.map((c) => (
                <th scope="col" key={c.label} class={c.numeric ? 'numeric' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                {spec.columns.map((c) => (
                  <td key={c.label} class={c.numeric ? 'numeric' : undefined}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > 0 && (
        <nav class="pager" aria-label="Pages">
          {page > 1 ? <a href={pageHref(1)}>First</a> : <span class="off">First</span>}
          {page > 1 ? <a href={pageHref(Math.min(page - 1, lastPage))}>Previous</a> : <span class="off">Previous</span>}
          <span>
            Page {count(Math.min(page, lastPage))} of {count(lastPage)}
          </span>
          {page < lastPage ? <a href={pageHref(page + 1)}>Next</a> : <span class="off">Next</span>}
          {page < lastPage ? <a href={pageHref(lastPage)}>Last</a> : <span class="off">Last</span>}
        </nav>
      )}
    </>
  );
}
