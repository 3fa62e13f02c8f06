import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printAppSchema } from './graphql/schema';
import { buildAppSchema } from './modules';

/** `npm run schema:emit`: writes schema/schema.graphql from the modules' resolvers. */
async function main(): Promise<void> {
  const file = path.resolve(__dirname, '../../schema/schema.graphql');
  await writeFile(file, printAppSchema(await buildAppSchema()));
  console.log(`wrote ${file}`);
}

void main();
