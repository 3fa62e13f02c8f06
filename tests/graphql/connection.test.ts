import { toConnection } from '../../src/graphql/connection';

describe('connections', () => {
  const page = (n: number) => {
    const signed: number[] = [];
    return { signed, page: { items: Array.from({ length: n }, (_, i) => i), nextCursor: 'next', cursorOf: (i: number) => (signed.push(i), `c${i}`) } };
  };

  it('when a query reads nodes and endCursor, then only the last cursor is signed', () => {
    const { signed, page: p } = page(100);
    const connection = toConnection(p, (i) => ({ id: i }), null);
    expect(connection.nodes).toHaveLength(100);
    expect(connection.pageInfo.endCursor).toBe('c99');
    expect(signed).toEqual([99]);
  });

  it('when edges are read, then each cursor is its node\'s, signed once however often it is read', () => {
    const { signed, page: p } = page(3);
    const connection = toConnection(p, (i) => ({ id: i }), 'after');
    expect(connection.edges.map((e) => [e.cursor, e.node.id])).toEqual([['c0', 0], ['c1', 1], ['c2', 2]]);
    expect(connection.pageInfo).toMatchObject({ startCursor: 'c0', endCursor: 'c2', hasNextPage: true, hasPreviousPage: true });
    expect(signed).toEqual([0, 1, 2]);
  });

  it('when the page is empty, then both cursors are null', () => {
    const connection = toConnection(page(0).page, (i) => i, null);
    expect(connection.pageInfo).toMatchObject({ startCursor: null, endCursor: null, hasPreviousPage: false });
  });

  it('when a page is shaped, then its edges and pageInfo hold no getter of their own (each page stays young for the garbage collector)', () => {
    // A getter of an object literal is a new function per object, which gives each object a hidden
    // class of its own in V8's old generation, and that kept every answered page alive through the
    // young-generation collections until a full one. The getters belong on a shared prototype.
    const connection = toConnection(page(3).page, (i) => ({ id: i }), null);
    const ownAccessors = (o: object) => Object.entries(Object.getOwnPropertyDescriptors(o)).filter(([, d]) => d.get || d.set).map(([k]) => k);
    expect(connection.edges.flatMap(ownAccessors)).toEqual([]);
    expect(ownAccessors(connection.pageInfo)).toEqual([]);
    expect(Object.getPrototypeOf(connection.edges[0]!)).toBe(Object.getPrototypeOf(connection.edges[2]!));
  });
});
