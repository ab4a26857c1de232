import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

type Props = {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
};

/**
 * A modal confirmation: the native <dialog> with showModal(), so the rest of the page is inert,
 * Escape cancels, and the focus returns to the button that opened it. Cancel has the focus first:
 * pressing Enter by reflex never deletes.
 */
export function ConfirmDialog({ title, children, confirmLabel, busy, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    dialog?.showModal();
    // The dialog leaves the page when it closes, so the focus is given back to its opener by hand.
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <div id="confirm-body">{children}</div>
      <div class="actions">
        <button type="button" class="secondary" autoFocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
