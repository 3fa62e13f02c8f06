import { parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { itemsEstimator, MAX_COMPLEXITY } from '../../src/graphql/complexity';
import { buildAppSchema } from '../../src/modules';
import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../helpers/app';

/** The page a front end asks for: events with participants, their users and pageInfo. */
const PAGE = (first: number) => `{ events(first: ${first}) { nodes { id title start end host { name } participants { role response isHost user { name email } } }
  pageInfo { hasNextPage endCursor } } }`;
/** A month of a calendar at the largest page size. */
const MONTH = `query($calendarId: UUID!) { events(first: 500, filter: { calendarId: $calendarId, from: "2027-06-01T00:00:00Z", to: "2027-07-01T00:00:00Z" }) {
  edges { cursor node { id title start end participants { response user { name } } } } pageInfo { hasNextPage endCursor } } }`;
/** 100 users × 100 events × their participants' users. */
const NESTED = '{ users(first: 100) { nodes { events(first: 100) { nodes { participants { user { name } } } } } } }';

describe('GraphQL query cost', () => {
  let cost: (query: string, variables?: Record<string, unknown>) => number;
  beforeAll(async () => {
    const schema = await buildAppSchema();
    cost = (query, variables = {}) => getComplexity({ schema, query: parse(query), variables, estimators: [itemsEstimator] });
  });

  it('when a front end asks for its natural pages, then they cost less than the limit', () => {
    expect(cost(PAGE(100))).toBeLessThan(MAX_COMPLEXITY / 5);
    expect(cost(MONTH, { calendarId: '00000000-0000-4000-8000-000000000000' })).toBeLessThan(MAX_COMPLEXITY);
  });

  it('when page sizes multiply, then the cost grows with them (first counts, unpaginated lists are guessed)', () => {
    expect(cost(PAGE(100))).toBeGreaterThan(9 * cost(PAGE(10)));
    expect(cost('{ events(first: 10) { nodes { id } } }')).toBe(10 * (1 + 1));
    expect(cost(NESTED)).toBeGreaterThan(100 * 100);
    expect(cost(NESTED)).toBeGreaterThan(MAX_COMPLEXITY);
  });

  it('when introspection lists the schema, then it costs nothing', () => {
    expect(cost('{ __schema { types { name fields { name args { name } } } } }')).toBe(0);
  });
});

describe('GraphQL query cost limit', () => {
  let t: TestApp;
  let ann: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app);
  });
  afterAll(() => t.close());

  it('when a page of 100 events with participants, users and pageInfo is asked for, then it runs', async () => {
    const res = await graphql(t.app, PAGE(100), {}, ann);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.events.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    const month = await graphql(t.app, MONTH, { calendarId: ann.primaryCalendarId }, ann);
    expect(month.body.errors).toBeUndefined();
  });

  it('when 100 × 100 × 100 nested items are asked for, then the operation is refused with 400 before it runs', async () => {
    const res = await graphql(t.app, NESTED, {}, ann);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', maxCost: MAX_COMPLEXITY } });
    expect(res.body.errors?.[0].extensions.cost).toBeGreaterThan(MAX_COMPLEXITY);
  });
});
