import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * The fields an operation selects below the field being resolved, as dotted paths of field names
 * (`nodes.participants.user`), at most `depth` levels down; fragments (inline and named) are
 * followed, aliases ignored, `@skip`/`@include` not evaluated (a path they drop is still listed: the
 * caller reads a little more, never less). Lets a connection resolver read everything its page
 * will show in one statement instead of one per field resolver.
 */
export function selectedPaths(info: GraphQLResolveInfo, depth = 4): Set<string> {
  const out = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, prefix: string, left: number, seen: Set<string>) => {
    if (!set || left === 0) return;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const path = prefix ? `${prefix}.${sel.name.value}` : sel.name.value;
        out.add(path);
        walk(sel.selectionSet, path, left - 1, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, prefix, left, seen);
      } else {
        const name = sel.name.value;
        // A fragment spread twice at one level is walked once (and a cycle is invalid anyway).
        if (seen.has(`${prefix}/${name}`)) continue;
        walk(info.fragments[name]?.selectionSet, prefix, left, new Set([...seen, `${prefix}/${name}`]));
      }
    }
  };
  for (const node of info.fieldNodes as FieldNode[]) walk(node.selectionSet, '', depth, new Set());
  return out;
}

/**
 * What of a connection's nodes is selected: `has('participants.user')` is true when the nodes (under
 * `nodes` or `edges.node`) select that path.
 */
export function nodeSelection(info: GraphQLResolveInfo): { has(path: string): boolean } {
  const paths = selectedPaths(info, 5);
  return { has: (path) => paths.has(`nodes.${path}`) || paths.has(`edges.node.${path}`) };
}
