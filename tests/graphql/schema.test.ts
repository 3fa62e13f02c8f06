import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { printAppSchema } from '../../src/graphql/schema';
import { buildAppSchema } from '../../src/modules';

describe('committed GraphQL schema', () => {
  it('when the code changes the schema, then schema/schema.graphql must be regenerated (npm run schema:emit)', async () => {
    const committed = await readFile(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(printAppSchema(await buildAppSchema())).toBe(committed);
  });
});
