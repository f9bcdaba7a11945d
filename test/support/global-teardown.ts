import { adminQuery, dropStatements, listTestDatabases } from './db';

export default async function globalTeardown(): Promise<void> {
  const server = process.env.TEST_PG_SERVER_URL;
  if (server) await adminQuery(server, ...dropStatements(await listTestDatabases(server)));
  await (globalThis as { __embeddedPg?: { stop(): Promise<void> } }).__embeddedPg?.stop();
}
