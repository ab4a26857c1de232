import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort } from '../api/client';
import type { Actor, ActorList } from '../api/types';
import { describe } from '../components/problem';

const SEARCH_DELAY_MS = 250;
const MATCHES = 8;

type Props = { chosen: Actor | null; onChoose(actor: Actor | null): void; error?: string };

/**
 * The "Actor" field: a combobox (ARIA 1.2 pattern, list autocomplete) that searches the API by name
 * as people type. Arrow keys move through the matches, Enter chooses, Escape closes.
 */
export function ActorPicker({ chosen, onChoose, error }: Props) {
  const [text, setText] = useState('');
  const [matches, setMatches] = useState<Actor[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (chosen === null || text === chosen.name) return;
    setText(chosen.name);
  }, [chosen]);

  useEffect(() => {
    controller.current?.abort();
    if (text.trim() === '' || chosen?.name === text) return setOpen(false);
    const c = (controller.current = new AbortController());
    const timer = window.setTimeout(() => {
      api.get<ActorList>(`/actors?${new URLSearchParams({ q: text, sort: 'name', limit: String(MATCHES) })}`, c.signal).then(
        ({ body }) => {
          setMatches(body.actors);
          setActive(-1);
          setOpen(true);
          setStatus(
            body.all_actors === 0 ? 'No actor matches.' : `${body.all_actors} ${body.all_actors === 1 ? 'actor matches' : 'actors match'}.`,
          );
        },
        (err: unknown) => isAbort(err) || (setOpen(false), setStatus(describe(err))),
      );
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const choose = (actor: Actor) => {
    onChoose(actor);
    setText(actor.name);
    setOpen(false);
    setStatus(`${actor.name} chosen.`);
  };

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open && matches.length > 0) setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (matches.length === 0 ? -1 : (i + step + matches.length) % matches.length));
    } else if (e.key === 'Enter' && open && matches[active]) {
      e.preventDefault();
      choose(matches[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  }

  const describedBy = [error ? 'cast-actor-error' : '', 'cast-actor-status'].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field picker invalid' : 'field picker'}>
      <label for="cast-actor">Actor</label>
      <input
        id="cast-actor"
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls="cast-actor-options"
        aria-activedescendant={open && active >= 0 ? `cast-actor-option-${matches[active]?.id}` : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (chosen) onChoose(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul id="cast-actor-options" role="listbox" aria-label="Matches" class="options" hidden={!open || matches.length === 0}>
        {matches.map((a, i) => (
          <li
            key={a.id}
            id={`cast-actor-option-${a.id}`}
            role="option"
            aria-selected={i === active ? 'true' : 'false'}
            class={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(a);
            }}
          >
            {a.name}{' '}
            <span class="muted">
              · {a.age} · {a.gender}
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p class="field-error" id="cast-actor-error">
          {error}
        </p>
      )}
      <p class="visually-hidden" id="cast-actor-status" role="status">
        {status}
      </p>
    </div>
  );
}
