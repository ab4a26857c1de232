import { useEffect, useState } from 'preact/hooks';

/**
 * What the last action did ("Actor added"), said (role="status") on the screen it led to. It stays
 * until the person goes to another screen, so nothing disappears before it can be read.
 */
let message: { text: string; path: string | null } | null = null;
const listeners = new Set<() => void>();

/** `here`: for this screen (casting); otherwise for the screen the next navigation opens. */
export function flash(text: string, { here = false } = {}): void {
  message = { text, path: here ? location.pathname : null };
  if (here) listeners.forEach((l) => l());
}

function textFor(path: string): string {
  if (!message) return '';
  message.path ??= path;
  if (message.path === path) return message.text;
  message = null;
  return '';
}

export function Flash({ path }: { path: string }) {
  const [, rerender] = useState(0);
  useEffect(() => {
    const update = () => rerender((n) => n + 1);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  const text = textFor(path);
  return (
    <div role="status" class={text ? 'flash' : 'flash empty'}>
      {text}
    </div>
  );
}
