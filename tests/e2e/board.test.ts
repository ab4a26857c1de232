import path from 'node:path';
import type { Page } from 'playwright-core';
import { countRows, insertActors, insertMovies } from '../kit/context';
import { ROOT } from '../kit/commands';
import { describeInChromium, expectNoAxeViolations, settledFocus, startBoard, tabTo, textOf, type Board } from './kit/browser';

/*
 * The casting board in development mode, one journey per role, each checked on the page and in the
 * database, with axe-core on every screen the journey reaches. UPDATE_DOCS_SCREENSHOT=1 (npm run
 * docs:screenshot) keeps the README's screenshots of the board in docs/.
 */
const SCREENSHOTS = process.env.UPDATE_DOCS_SCREENSHOT === '1';
/*
 * 100 000 actors on PostgreSQL. The embedded databases of both Jest workers run in one process
 * (the global setup's), so loading that many there would stall the other worker's tests for half a
 * minute: 10 000 pages just as well through the API.
 */
const ACTORS = process.env.TEST_DB_KIND === 'postgres' ? 100_000 : 10_000;
const shown = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
/** Browser journeys on a machine whose cores other suites share: generous, so only a real hang fails. */
const JOURNEY_MS = 120_000;

describeInChromium('The casting board in development mode (Chromium)', () => {
  let board: Board;
  let page: Page;
  const shot = (name: string) => (SCREENSHOTS ? page.screenshot({ path: path.join(ROOT, 'docs', name), fullPage: true }) : undefined);

  beforeAll(async () => {
    board = await startBoard();
    page = await board.newPage();
  });
  afterAll(() => board?.close());
  afterEach(() => expect(board.outside).toEqual([]));

  async function signInAs(role: 'Casting Assistant' | 'Casting Director' | 'Executive Producer', at = '/app/') {
    await page.goto(`${board.baseUrl}/app/`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${board.baseUrl}${at}`);
    const choose = page.getByRole('button', { name: role });
    await choose.waitFor();
    await expectNoAxeViolations(page, 'sign-in (development)');
    await choose.click();
    await page.getByRole('banner').getByText(role).waitFor();
  }

  const heading = (name: string) => page.getByRole('heading', { level: 1, name });

  it(
    `the assistant browses ${shown(ACTORS)} actors page by page, searches, opens details, and finds no write control`,
    async () => {
      const db = board.ctx.db;
      await board.ctx.reset();
      // In batches: one statement for all of them can outlast the pool's statement timeout on the embedded database.
      for (let from = 1; from < ACTORS; from += 10_000) {
        await db.query(
          `INSERT INTO actors (name, age, gender) SELECT 'Extra ' || lpad(i::text, 6, '0'), i % 90, CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END
         FROM generate_series($1::int, least($1::int + 9999, $2::int)) AS i`,
          [from, ACTORS - 1],
        );
      }
      const [kevin] = await insertActors(db, { name: 'Kevin Bacon', age: 66, gender: 'male' });
      const [tremors] = await insertMovies(db, { title: 'Tremors', release_date: '1990-01-19' });
      await db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES ($1, $2)', [tremors!.id, kevin!.id]);

      await signInAs('Casting Assistant');
      expect(await textOf(page, 'header')).toContain('Casting Assistant · dev|assistant');
      await page
        .getByRole('status')
        .filter({ hasText: `of ${shown(ACTORS)} actors` })
        .waitFor();
      expect(await textOf(page, '.summary')).toBe(`1–20 of ${shown(ACTORS)} actors`);
      expect(await settledFocus(page, 'h1:Actors')).toBe('h1:Actors');
      await expectNoAxeViolations(page, 'actors list (assistant)');

      await page.getByRole('link', { name: 'Next' }).click();
      await page.getByText(`21–40 of ${shown(ACTORS)} actors`).waitFor();
      expect(new URL(page.url()).searchParams.get('page')).toBe('2');
      await page.goBack();
      await page.getByText(`1–20 of ${shown(ACTORS)} actors`).waitFor();
      await page.getByRole('link', { name: 'Last' }).click();
      await page.getByText(`${shown(ACTORS - 19)}–${shown(ACTORS)} of ${shown(ACTORS)} actors`).waitFor();

      await page.getByLabel('Search').fill('kevin');
      await page.getByText('1–1 of 1 actors').waitFor();
      expect(new URL(page.url()).searchParams.get('q')).toBe('kevin');
      await page.getByLabel('Sort by').selectOption('-age');
      await page.getByLabel('Gender').fill('male');
      await page.waitForURL(/gender=male/);
      await page.getByText('1–1 of 1 actors').waitFor();
      const shared = page.url();
      expect(new URL(shared).searchParams.get('sort')).toBe('-age');

      await page.getByRole('link', { name: 'Kevin Bacon' }).click();
      await heading('Kevin Bacon').waitFor();
      expect(await settledFocus(page, 'h1:Kevin Bacon')).toBe('h1:Kevin Bacon');
      expect(await textOf(page, 'main')).toContain('Tremors');
      await expectNoAxeViolations(page, 'actor detail (assistant)');
      for (const name of ['Edit', 'Delete']) expect(await page.getByRole('button', { name }).count()).toBe(0);

      await page.goBack();
      await page.getByText('1–1 of 1 actors').waitFor();
      expect(await page.getByLabel('Search').inputValue()).toBe('kevin');
      expect(page.url()).toBe(shared);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Movies' }).click();
      await heading('Movies').waitFor();
      await page.getByText('1–1 of 1 movies').waitFor();
      expect(await page.getByRole('button', { name: 'Add movie' }).count()).toBe(0);
      await expectNoAxeViolations(page, 'movies list (assistant)');
      await page.getByRole('link', { name: 'Tremors' }).click();
      await heading('Tremors').waitFor();
      expect(await textOf(page, 'main')).toContain('Kevin Bacon');
      for (const name of ['Edit', 'Delete', 'Remove', 'Add to cast']) expect(await page.getByRole('button', { name }).count()).toBe(0);
      expect(await page.getByLabel('Actor').count()).toBe(0);
      await expectNoAxeViolations(page, 'movie detail (assistant)');

      expect(await countRows(db, 'actors')).toBe(ACTORS);
      expect(await countRows(db, 'movie_actors')).toBe(1);
    },
    JOURNEY_MS,
  );

  it(
    'the director adds, edits and deletes an actor, casts and uncasts them, and cannot add or delete movies',
    async () => {
      const db = board.ctx.db;
      await board.ctx.reset();
      await insertActors(db, { name: 'Kevin Bacon', age: 66, gender: 'male' });
      const [heat] = await insertMovies(db, { title: 'Heat', release_date: '1995-12-15' });

      await signInAs('Casting Director', '/app/actors');
      await heading('Actors').waitFor();
      await page.getByRole('button', { name: 'Add actor' }).click();
      await heading('Add actor').waitFor();
      expect(await settledFocus(page, 'h1:Add actor')).toBe('h1:Add actor');
      await page.getByLabel('Name').fill('Ana de Armas');
      await page.getByLabel('Age').fill('200');
      await page.getByLabel('Gender').fill('female');
      await page.getByRole('button', { name: 'Save' }).click();
      const age = page.getByLabel('Age');
      await age.and(page.locator('[aria-invalid="true"]')).waitFor();
      expect(await page.locator(`#${await age.getAttribute('aria-describedby')}`).innerText()).toBe('Age must be at most 150');
      await expectNoAxeViolations(page, 'actor form with an error (director)');
      await shot('board-form-error.png');
      expect(await countRows(db, 'actors')).toBe(1);

      await age.fill('36');
      await page.getByRole('button', { name: 'Save' }).click();
      await heading('Ana de Armas').waitFor();
      await page.getByRole('status').filter({ hasText: 'Added actor “Ana de Armas”.' }).waitFor();
      const [ana] = await db.query<{ id: number; age: number }>("SELECT id, age FROM actors WHERE name = 'Ana de Armas'");
      expect(ana).toMatchObject({ age: 36 });
      expect(new URL(page.url()).pathname).toBe(`/app/actors/${ana!.id}`);
      await expectNoAxeViolations(page, 'actor detail (director)');

      await page.getByRole('button', { name: 'Edit' }).click();
      await heading('Edit Ana de Armas').waitFor();
      expect(await page.getByLabel('Age').inputValue()).toBe('36');
      await page.getByLabel('Age').fill('37');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved actor “Ana de Armas”.').waitFor();
      expect((await db.query<{ age: number }>('SELECT age FROM actors WHERE id = $1', [ana!.id]))[0]!.age).toBe(37);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Movies' }).click();
      await page.getByText('1–1 of 1 movies').waitFor();
      expect(await page.getByRole('button', { name: 'Add movie' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Heat' }).click();
      await heading('Heat').waitFor();
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(1);
      await page.getByLabel('Actor').fill('ana');
      await page.getByRole('option', { name: /Ana de Armas/ }).click();
      await page.getByLabel('Character').fill('  Eady  ');
      await page.getByRole('button', { name: 'Add to cast' }).click();
      await page.getByRole('status').filter({ hasText: 'Added Ana de Armas to the cast as Eady.' }).waitFor();
      await page.getByRole('row', { name: /Ana de Armas.*Eady/ }).waitFor();
      expect(await db.query('SELECT movie_id, actor_id, character FROM movie_actors')).toEqual([
        { movie_id: heat!.id, actor_id: ana!.id, character: 'Eady' },
      ]);
      await expectNoAxeViolations(page, 'movie detail with cast controls (director)');

      await page
        .getByRole('row', { name: /Ana de Armas/ })
        .getByRole('button', { name: 'Remove' })
        .click();
      await page.getByText('Removed Ana de Armas from the cast.').waitFor();
      await page.getByText('Nobody is cast in this movie yet.').waitFor();
      expect(await countRows(db, 'movie_actors')).toBe(0);

      await page.goto(`${board.baseUrl}/app/actors/${ana!.id}`);
      await heading('Ana de Armas').waitFor();
      await page.getByRole('button', { name: 'Delete' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete “Ana de Armas”?' });
      await dialog.waitFor();
      await expectNoAxeViolations(page, 'delete confirmation (director)');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await dialog.count()).toBe(0);
      expect(await countRows(db, 'actors')).toBe(2);
      await page.getByRole('button', { name: 'Delete' }).click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await heading('Actors').waitFor();
      await page.getByText('Deleted actor “Ana de Armas”.').waitFor();
      expect(await db.query('SELECT name FROM actors')).toEqual([{ name: 'Kevin Bacon' }]);
    },
    JOURNEY_MS,
  );

  it(
    'the producer adds, edits, casts and deletes a movie with the keyboard alone',
    async () => {
      const db = board.ctx.db;
      await board.ctx.reset();
      await insertActors(db, { name: 'Kevin Bacon', age: 66, gender: 'male' }, { name: 'Diego Luna', age: 45, gender: 'male' });
      await insertMovies(db, { title: 'Tremors', release_date: '1990-01-19' });
      await signInAs('Executive Producer', '/app/movies');
      expect(await textOf(page, 'header')).toContain('Executive Producer · dev|producer');
      await heading('Movies').waitFor();
      await shot('board-list.png');

      await tabTo(page, page.getByRole('button', { name: 'Add movie' }));
      await page.keyboard.press('Enter');
      await heading('Add movie').waitFor();
      await expectNoAxeViolations(page, 'movie form (producer)');
      await tabTo(page, page.getByLabel('Title'));
      await page.keyboard.type('The Prestige');
      await tabTo(page, page.getByLabel('Release date'));
      await page.keyboard.type('10202006');
      expect(await page.getByLabel('Release date').inputValue()).toBe('2006-10-20');
      await tabTo(page, page.getByRole('button', { name: 'Save' }));
      await page.keyboard.press('Enter');
      await heading('The Prestige').waitFor();
      const [prestige] = await db.query<{ id: number; release_date: string }>(
        "SELECT id, to_char(release_date, 'YYYY-MM-DD') AS release_date FROM movies WHERE title = 'The Prestige'",
      );
      expect(prestige!.release_date).toBe('2006-10-20');

      await tabTo(page, page.getByRole('button', { name: 'Edit' }));
      await page.keyboard.press('Enter');
      await heading('Edit The Prestige').waitFor();
      await tabTo(page, page.getByLabel('Title'));
      await page.keyboard.press('End');
      await page.keyboard.type(' (2006)');
      await page.keyboard.press('Enter');
      await heading('The Prestige (2006)').waitFor();
      expect((await db.query<{ title: string }>('SELECT title FROM movies WHERE id = $1', [prestige!.id]))[0]!.title).toBe(
        'The Prestige (2006)',
      );

      await tabTo(page, page.getByLabel('Actor'));
      await page.keyboard.type('kev');
      await page.getByRole('option', { name: /Kevin Bacon/ }).waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      expect(await page.getByLabel('Actor').inputValue()).toBe('Kevin Bacon');
      await tabTo(page, page.getByRole('button', { name: 'Add to cast' }));
      await page.keyboard.press('Enter');
      await page.getByText('Added Kevin Bacon to the cast.').waitFor();
      expect(
        await db.query<{ name: string }>('SELECT a.name FROM movie_actors c JOIN actors a ON a.id = c.actor_id WHERE c.movie_id = $1', [
          prestige!.id,
        ]),
      ).toEqual([{ name: 'Kevin Bacon' }]);
      await expectNoAxeViolations(page, 'movie detail with cast controls (producer)');
      await shot('board-detail.png');

      await tabTo(page, page.getByRole('button', { name: 'Delete' }), { backwards: true });
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      expect(await settledFocus(page, 'button:Cancel')).toBe('button:Cancel');
      await page.keyboard.press('Escape');
      expect(await dialog.count()).toBe(0);
      expect(await settledFocus(page, 'button:Delete')).toBe('button:Delete');
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await heading('Movies').waitFor();
      await page.getByText('Deleted movie “The Prestige (2006)”.').waitFor();
      expect(await db.query('SELECT title FROM movies')).toEqual([{ title: 'Tremors' }]);
      expect(await countRows(db, 'movie_actors')).toBe(0);
    },
    JOURNEY_MS,
  );
});
