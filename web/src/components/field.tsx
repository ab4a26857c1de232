import type { FieldSpec } from '../screens/form-spec';

type Props = { spec: FieldSpec; value: string; error?: string; onInput(value: string): void };

/** A labelled input; its problem is written beside it and tied to it (aria-describedby, aria-invalid). */
export function Field({ spec, value, error, onInput }: Props) {
  const id = `field-${spec.name}`;
  const errorId = `${id}-error`;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{spec.label}</label>
      <input
        id={id}
        name={spec.name}
        // Preact's types tie some attributes to each input type; these three take the same ones.
        type={spec.type as 'text'}
        value={value}
        min={spec.min}
        max={spec.max}
        maxLength={spec.maxLength}
        inputMode={spec.type === 'number' ? 'numeric' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error && (
        <p class="field-error" id={errorId}>
          {spec.label} {error}
        </p>
      )}
    </div>
  );
}
