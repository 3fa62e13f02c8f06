import { type ClassType, Field, ObjectType } from 'type-graphql';
import type { Page } from '../infra/cursor';

/**
 * Relay PageInfo (GraphQL Cursor Connections Specification §5; as GitHub's API shapes it). Pages go
 * forward only (`first`, `after`), so `hasPreviousPage` says whether the page resumes after a cursor.
 */
@ObjectType({ description: 'Where a page of a connection stands in the whole list (Relay cursor connections)' })
export class PageInfo {
  @Field({ description: 'Whether more nodes follow this page: pass `endCursor` as `after` to read them' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether nodes come before this page: true when it was read `after` a cursor (the nodes up to that cursor precede it), false for the first page' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first edge of this page; null when the page is empty' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last edge of this page (pass it as `after` for the next page); null when the page is empty' })
  endCursor!: string | null;
}

/** A Relay connection's plain shape. */
export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * Builds the `<Name>Connection` and `<Name>Edge` object types for a node type (TypeGraphQL generic
 * types pattern). Cursors are the service's opaque keyset cursors.
 */
export function Connection<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `A ${name} of a page with its cursor` })
  class Edge {
    @Field({ description: 'pass as `after` to continue after this node' })
    cursor!: string;

    @Field(() => Node, { description: 'the item at this position' })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay cursor connection): read on with \`after: pageInfo.endCursor\`` })
  class ConnectionType {
    @Field(() => [Edge], { description: 'the items of the page with their cursors, in list order' })
    edges!: Edge[];

    @Field(() => [Node], { description: "the items of the page, in list order (the edges' nodes)" })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'where this page stands in the whole list' })
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/**
 * Shapes a service page as a connection; every edge cursor resumes right after its node. Cursors
 * are made when read: a query that selects only `nodes` and `endCursor` signs one, not 100.
 * @param after - the `after` argument the page was read with (null or undefined: the first page).
 */
export function toConnection<T, N>(page: Page<T>, toNode: (item: T) => N, after: string | null | undefined): ConnectionShape<N> {
  const edges = page.items.map((item) => new LazyEdge(toNode(item), item, page));
  return { edges, nodes: edges.map((e) => e.node), pageInfo: new LazyPageInfo(edges, page.nextCursor !== null, after != null) };
}

/*
 * The lazy cursors are getters of classes, not getters of object literals. A getter written in an
 * object literal is a new function for every object, so V8 gives every such object a hidden class
 * (map) of its own, and maps live in the old generation, which a young-generation collection
 * (scavenge) treats as alive. Measured: each edge's getter captured the page, and every answered
 * page, rows included, survived the scavenges and was promoted to wait for a full collection; on
 * the benchmark's GraphQL page at one connection 1.19 MB promoted a scavenge (every ~22 ms), 0.13 MB
 * with prototype getters (`--trace-gc-nvp`; objects made in a loop: 3.3 MB against 0; issue 13).
 */

/** A Relay edge whose cursor (an HMAC) is signed when first read. */
class LazyEdge<T, N> {
  private signed: string | undefined;
  constructor(
    readonly node: N,
    private readonly item: T,
    private readonly page: Page<T>,
  ) {}

  get cursor(): string {
    return (this.signed ??= this.page.cursorOf(this.item));
  }
}

/** PageInfo over a page's edges; its cursors are the first and last edge's, signed when read. */
class LazyPageInfo<T, N> {
  constructor(
    private readonly edges: LazyEdge<T, N>[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges.at(-1)?.cursor ?? null;
  }
}
