import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { ErrorDetail } from '../api/types';
import { useLoad } from '../api/use-load';
import { Field } from '../components/field';
import { flash } from '../components/flash';
import { ScreenHeading } from '../components/heading';
import { Problem } from '../components/problem';
import { navigate, pathOf } from '../router';
import type { FormSpec } from './form-spec';

type Row = Record<string, unknown> & { id: number };
type Values = Record<string, string>;
type Errors = Record<string, string>;

const is422 = (err: unknown): err is ApiError => err instanceof ApiError && err.status === 422;

const valuesOf = (spec: FormSpec, row: Row | null): Values =>
  Object.fromEntries(spec.fields.map((f) => [f.name, row ? String(row[f.name] ?? '') : '']));

/** The API's details by field: `age` (or `age.x`) goes to Age; a detail at no field stays in the summary. */
function errorsOf(spec: FormSpec, details: ErrorDetail[]): { fields: Errors; other: ErrorDetail[] } {
  const fields: Errors = {};
  const other: ErrorDetail[] = [];
  for (const d of details) {
    const name = d.path.split('.')[0] ?? '';
    if (spec.fields.some((f) => f.name === name)) fields[name] = fields[name] ? `${fields[name]}; ${d.message}` : d.message;
    else other.push(d);
  }
  return { fields, other };
}

function focusFirstInvalid(spec: FormSpec, errors: Errors): void {
  const first = spec.fields.find((f) => errors[f.name]);
  if (first) requestAnimationFrame(() => document.getElementById(`field-${first.name}`)?.focus());
}

/** Add (`id` undefined) or edit an actor or a movie. An edit sends If-Match with the version it loaded. */
export function FormScreen({ spec, id }: { spec: FormSpec; id?: number }) {
  const load = useLoad(`${spec.resource}/${id ?? 'new'}`, (signal) =>
    id === undefined ? Promise.resolve({ body: {}, etag: null }) : api.get<Record<string, Row>>(`/${spec.resource}/${id}`, signal),
  );
  const loaded = id === undefined ? null : ((load.answer?.body as Record<string, Row> | undefined)?.[spec.keys.detail] ?? null);
  const [values, setValues] = useState<Values | null>(id === undefined ? valuesOf(spec, null) : null);
  const [etag, setEtag] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<{ error: unknown; other: ErrorDetail[] } | null>(null);
  const [conflict, setConflict] = useState<Row | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (loaded && values === null) {
      setValues(valuesOf(spec, loaded));
      setEtag(load.answer?.etag ?? null);
    }
  }, [loaded]);

  const title = String(loaded?.[spec.titleField] ?? '');
  const heading = id === undefined ? `Add ${spec.noun}` : loaded ? `Edit ${title}` : `Edit ${spec.noun}`;

  if (id !== undefined && !loaded) {
    return (
      <>
        <ScreenHeading title={heading}>{heading}</ScreenHeading>
        {load.error ? <Problem error={load.error} onRetry={load.reload} /> : <p role="status">Loading…</p>}
      </>
    );
  }
  const current = values ?? valuesOf(spec, loaded);

  async function save(event: Event) {
    event.preventDefault();
    const found = Object.fromEntries(
      spec.fields.flatMap((f) => (f.check(current[f.name] ?? '') ? [[f.name, f.check(current[f.name] ?? '')!]] : [])),
    );
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return focusFirstInvalid(spec, found);
    const body = Object.fromEntries(spec.fields.map((f) => [f.name, f.parse(current[f.name] ?? '')]));
    setSaving(true);
    try {
      const answer =
        id === undefined
          ? await api.post<Record<string, Row>>(`/${spec.resource}`, body)
          : await api.patch<Record<string, Row>>(`/${spec.resource}/${id}`, body, etag);
      const row = answer.body[id === undefined ? spec.keys.created : spec.keys.modified]!;
      flash(`${id === undefined ? 'Added' : 'Saved'} ${spec.noun} “${String(row[spec.titleField])}”.`);
      navigate(pathOf(spec.resource, row.id), { replace: true });
    } catch (err) {
      await failed(err);
    } finally {
      setSaving(false);
    }
  }

  async function failed(err: unknown) {
    if (err instanceof ApiError && err.status === 422) {
      const { fields, other } = errorsOf(spec, err.details);
      setErrors(fields);
      setProblem({ error: err, other });
      return focusFirstInvalid(spec, fields);
    }
    if (err instanceof ApiError && err.status === 412 && id !== undefined) {
      // Someone saved first: show their version, keep what was typed, and let Save replace theirs.
      try {
        const latest = await api.get<Record<string, Row>>(`/${spec.resource}/${id}`);
        setConflict(latest.body[spec.keys.detail] ?? null);
        setEtag(latest.etag);
      } catch (again) {
        setProblem({ error: again, other: [] });
      }
      return;
    }
    setProblem({ error: err, other: [] });
  }

  const invalid = Object.keys(errors).length;
  return (
    <>
      <ScreenHeading title={heading}>{heading}</ScreenHeading>
      {conflict && (
        <div class="problem" role="alert">
          <p>
            Someone else changed this {spec.noun} while you were editing it. Their version is below; what you typed is still in the form.
            Save again to replace their version with yours, or cancel to keep theirs.
          </p>
          <dl class="facts">
            {spec.fields.map((f) => (
              <div key={f.name}>
                <dt>{f.label}</dt>
                <dd>{String(conflict[f.name] ?? '')}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      {invalid > 0 && (
        <div class="problem" role="alert">
          <p>
            The {spec.noun} was not saved: {invalid === 1 ? 'one field needs' : `${invalid} fields need`} attention.
          </p>
        </div>
      )}
      {problem && !is422(problem.error) && <Problem error={problem.error} />}
      {problem && is422(problem.error) && (invalid === 0 || problem.other.length > 0) && (
        <div class="problem" role="alert">
          <p>{problem.error.message}</p>
          {problem.other.map((d) => (
            <p key={d.path}>
              {d.path || 'The request'}: {d.message}
            </p>
          ))}
        </div>
      )}
      <form class="edit" onSubmit={save} noValidate>
        {spec.fields.map((f) => (
          <Field
            key={f.name}
            spec={f}
            value={current[f.name] ?? ''}
            error={errors[f.name]}
            onInput={(v) => setValues({ ...current, [f.name]: v })}
          />
        ))}
        <div class="actions">
          <button type="submit" disabled={saving}>
            Save
          </button>
          <a class="button secondary" href={id === undefined ? pathOf(spec.resource) : pathOf(spec.resource, id)}>
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
