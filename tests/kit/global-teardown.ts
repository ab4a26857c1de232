export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__TEST_DATABASES__ ?? []).map((database) => database.drop()));
}
