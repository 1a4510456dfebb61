/**
 * vitest globalSetup for the server project: one real PostgreSQL for the whole
 * run, on loopback. Tests read its URL with `inject('pgUrl')` and create their
 * own databases in it, so test files never share tables.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('pgUrl', server.url);
  return async () => {
    await server.stop();
  };
}
