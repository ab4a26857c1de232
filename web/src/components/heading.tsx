import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

type Props = { children: ComponentChildren; title: string };

/**
 * The screen's h1. A new screen mounts a new heading, which takes the focus (so a screen reader
 * starts reading there and Tab continues from it) and names the document.
 */
export function ScreenHeading({ children, title }: Props) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!document.querySelector('dialog[open]')) ref.current?.focus();
  }, []);
  useEffect(() => {
    document.title = `${title} · Casting board`;
  }, [title]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}
