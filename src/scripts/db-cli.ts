import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { seed } from '../db/migrate';

/** `npm run db:migrate` / `npm run db:seed`: against DATABASE_URL, or the embedded database. */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'migrate' && command !== 'seed') throw new Error('usage: db-cli migrate|seed');
  loadDotenv({ quiet: true });
  const database = await openDatabase(loadConfig(process.env).database);
  try {
    if (command === 'seed') await seed(database.db);
    console.log(`${command}: done on ${database.description}`);
  } finally {
    await database.close();
  }
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
