import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { Actor, CastMember } from '../api/types';
import { flash } from '../components/flash';
import { Problem } from '../components/problem';
import { pathOf } from '../router';
import { ActorPicker } from './actor-picker';

type CastColumn = { label: string; cell: (m: CastMember) => ComponentChildren; shown?: (cast: CastMember[]) => boolean };

/** The cast table's columns; a new per-entry field is one more row here. */
const CAST_COLUMNS: CastColumn[] = [
  {
    label: 'Name',
    cell: (m) => (
      <a href={pathOf('actors', m.id)} id={`cast-member-${m.id}`}>
        {m.name}
      </a>
    ),
  },
  { label: 'Character', cell: (m) => m.character ?? '', shown: (cast) => cast.some((m) => m.character) },
  { label: 'Age', cell: (m) => m.age },
  { label: 'Gender', cell: (m) => m.gender },
];

type Props = { movieId: number; cast: CastMember[]; canEdit: boolean; reload(): void };

/** A movie's cast; for those allowed to change it, "Remove" on each member and the Actor field with "Add to cast". */
export function Cast({ movieId, cast, canEdit, reload }: Props) {
  const [chosen, setChosen] = useState<Actor | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [character, setCharacter] = useState('');
  const [characterError, setCharacterError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A new picker (empty) after each actor added.
  const [added, setAdded] = useState(0);
  const columns = CAST_COLUMNS.filter((c) => !c.shown || c.shown(cast));

  async function change(action: () => Promise<string>) {
    setBusy(true);
    setError(null);
    setCharacterError(undefined);
    try {
      flash(await action(), { here: true });
      reload();
    } catch (err) {
      // The API's own 422 on the character is shown at its field, like every form's.
      const atField = err instanceof ApiError && err.status === 422 ? err.details.find((d) => d.path.startsWith('character')) : undefined;
      if (atField) setCharacterError(atField.message);
      setError(err);
      if (err instanceof ApiError && err.status === 404) reload();
    } finally {
      setBusy(false);
    }
  }

  const add = (e: Event) => {
    e.preventDefault();
    if (!chosen) return setFieldError('Choose an actor from the matches first: type part of a name, then pick one.');
    setFieldError(undefined);
    const actor = chosen;
    const role = character.trim();
    if (role.length > 200) return setCharacterError('At most 200 characters.');
    void change(async () => {
      // No character typed: no body, so an existing entry keeps the character it has.
      await api.put(`/movies/${movieId}/actors/${actor.id}`, role === '' ? undefined : { character: role });
      setChosen(null);
      setCharacter('');
      setAdded((n) => n + 1);
      const already = cast.some((m) => m.id === actor.id);
      if (role !== '') return already ? `${actor.name} now plays ${role}.` : `Added ${actor.name} to the cast as ${role}.`;
      return already ? `${actor.name} was already in the cast.` : `Added ${actor.name} to the cast.`;
    });
  };

  const remove = (member: CastMember) =>
    change(async () => {
      await api.delete(`/movies/${movieId}/actors/${member.id}`);
      return `Removed ${member.name} from the cast.`;
    });

  return (
    <section aria-labelledby="cast-heading">
      <h2 id="cast-heading">Cast</h2>
      {error !== null && <Problem error={error} />}
      {cast.length === 0 ? (
        <p>Nobody is cast in this movie yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.label}>
                  {c.label}
                </th>
              ))}
              {canEdit && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {cast.map((m) => (
              <tr key={m.id}>
                {columns.map((c) => (
                  <td key={c.label}>{c.cell(m)}</td>
                ))}
                {canEdit && (
                  <td class="row-actions">
                    <button
                      type="button"
                      class="secondary small"
                      disabled={busy}
                      aria-describedby={`cast-member-${m.id}`}
                      onClick={() => remove(m)}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form class="cast-add" onSubmit={add} aria-label="Add to the cast">
          <ActorPicker key={added} chosen={chosen} onChoose={setChosen} error={fieldError} />
          <div class={characterError ? 'field invalid' : 'field'}>
            <label for="cast-character">Character</label>
            <input
              id="cast-character"
              value={character}
              maxLength={400}
              aria-invalid={characterError ? 'true' : undefined}
              aria-describedby={characterError ? 'cast-character-error' : 'cast-character-hint'}
              onInput={(e) => setCharacter((e.target as HTMLInputElement).value)}
            />
            {characterError ? (
              <p class="field-error" id="cast-character-error">
                {characterError}
              </p>
            ) : (
              <p class="muted hint" id="cast-character-hint">
                Optional: the role they play
              </p>
            )}
          </div>
          <button type="submit" disabled={busy}>
            Add to cast
          </button>
        </form>
      )}
    </section>
  );
}
