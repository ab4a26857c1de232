import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import { ConfirmDialog } from '../components/confirm';
import { flash } from '../components/flash';
import { Problem } from '../components/problem';
import { navigate, pathOf, type Resource } from '../router';

type Props = { resource: Resource; noun: string; id: number; name: string; etag: string | null; reload(): void; consequence: string };

/** "Delete", confirmed in a dialog, sent with If-Match: a version someone changed meanwhile is not deleted unseen. */
export function DeleteButton({ resource, noun, id, name, etag, reload, consequence }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function confirm() {
    setBusy(true);
    try {
      await api.delete(`/${resource}/${id}`, etag);
      flash(`Deleted ${noun} “${name}”.`);
      navigate(pathOf(resource), { replace: true });
    } catch (err) {
      setOpen(false);
      setError(
        err instanceof ApiError && err.status === 412
          ? new ApiError(
              412,
              err.code,
              `Someone else changed this ${noun} since you opened it, so it was not deleted. The page now shows the current version; delete again if you still mean to.`,
            )
          : err,
      );
      if (err instanceof ApiError && err.status === 412) reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" class="danger" onClick={() => (setError(null), setOpen(true))}>
        Delete
      </button>
      {open && (
        <ConfirmDialog title={`Delete “${name}”?`} confirmLabel="Delete" busy={busy} onConfirm={confirm} onCancel={() => setOpen(false)}>
          <p>{consequence} This cannot be undone.</p>
        </ConfirmDialog>
      )}
      {error !== null && <Problem error={error} />}
    </>
  );
}
