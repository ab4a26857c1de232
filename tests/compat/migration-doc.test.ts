import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../kit/commands';

/*
 * docs/migrating-from-the-original.md names, next to each claim, the test that holds it:
 * `file.test.ts` › "test or describe title", … A renamed or deleted test fails here, so the
 * document cannot point at a test that no longer exists.
 */
const doc = readFileSync(path.join(ROOT, 'docs/migrating-from-the-original.md'), 'utf8');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Every `file.test.ts` › "title", "title" reference, one entry per title. */
const references = [...doc.matchAll(/`([\w-]+\.test\.ts)` › ([^|\n]+)/g)].flatMap(([, file, titles]) =>
  [...titles!.matchAll(/"([^"]+)"/g)].map(([, title]) => ({ file: file!, title: title! })),
);

describe('docs/migrating-from-the-original.md', () => {
  it('names a test for the claims in each of its tables', () => {
    expect(references.length).toBeGreaterThanOrEqual(20);
  });

  it.each(references.map((r) => [r.file, r.title] as const))('%s has a test or describe titled "%s"', (file, title) => {
    const source = path.join(ROOT, 'tests/compat', file);
    expect(existsSync(source)).toBe(true);
    // "…" in the document stands for the rest of a long title, or for a `%s` of it.
    const text = readFileSync(source, 'utf8');
    for (const fragment of title
      .split('…')
      .map((f) => f.trim())
      .filter(Boolean))
      expect(text).toContain(fragment);
  });

  it('is linked from the README, which no longer promises that everything keeps working', () => {
    expect(readme).toContain('[docs/migrating-from-the-original.md](docs/migrating-from-the-original.md)');
    expect(readme).not.toMatch(/curl scripts and\s+Postman collections keep working/);
    expect(readme).toMatch(/`Authorization` header that is not `Bearer <token>` \(`Basic …`, `Bearer` alone\) gets \*\*400\*\*/);
  });
});
