import { type ClassType, Field, ObjectType } from 'type-graphql';
import type { Page } from '../infra/cursor';

/** Relay PageInfo (as GitHub's API shapes it). */
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
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
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field({ description: 'pass as `after` to continue after this node' })
    cursor!: string;

    @Field(() => Node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [Node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/** Shapes a service page as a connection; every edge cursor resumes right after its node. */
export function toConnection<T, N>(page: Page<T>, toNode: (item: T) => N): ConnectionShape<N> {
  const edges = page.items.map((item) => ({ cursor: page.cursorOf(item), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: edges.length ? edges[edges.length - 1]!.cursor : null },
  };
}

