import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../helpers/app';

/** Relay PageInfo (GraphQL Cursor Connections Specification): both ends of a page, forward paging. */
describe('GraphQL PageInfo', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    user = await registerUser(t.app);
    for (const name of ['B', 'C']) expect((await user.request({ method: 'POST', url: '/calendars', payload: { name } })).statusCode).toBe(201);
  });
  afterAll(() => t.close());

  type Page = { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } };
  const page = async (after?: string): Promise<Page> => {
    const res = await graphql(t.app, 'query($after: String) { calendars(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }', { after }, user);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.calendars;
  };

  it('when pages are read forward, then startCursor and endCursor are the cursors of their first and last edges, and only later pages have a previous page', async () => {
    const first = await page();
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0]!.cursor, endCursor: first.edges[1]!.cursor });
    const second = await page(first.pageInfo.endCursor!);
    expect(second.edges).toHaveLength(1);
    expect(second.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: second.edges[0]!.cursor, endCursor: second.edges[0]!.cursor });
    // Resuming after the second page's start cursor gives the same page as after the first page's end.
    expect((await page(first.pageInfo.startCursor!)).edges.map((e) => e.node.id)).toEqual([first.edges[1]!.node.id, second.edges[0]!.node.id]);
    const past = await page(second.pageInfo.endCursor!);
    expect(past).toEqual({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
  });
});
