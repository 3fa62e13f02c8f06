import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, Kind, type ValueNode, visit } from 'graphql';
import type { FieldError } from '../infra/errors';
import { NUL_MESSAGE, nulPaths } from '../infra/validation';

/** Paths (`/argument/field/0`) of the string literals of `value` that contain U+0000. */
function nulLiterals(value: ValueNode, path: string): string[] {
  switch (value.kind) {
    case Kind.STRING:
      return value.value.includes('\u0000') ? [path] : [];
    case Kind.LIST:
      return value.values.flatMap((v, i) => nulLiterals(v, `${path}/${i}`));
    case Kind.OBJECT:
      return value.fields.flatMap((f) => nulLiterals(f.value, `${path}/${f.name.value}`));
    default:
      return [];
  }
}

/**
 * Field errors for every string of an operation that contains U+0000, which PostgreSQL `text` cannot
 * hold: literals in arguments (path from the argument: `/input/title`) and anywhere in the variables
 * (`/variables/input/title`). Empty when there is none.
 */
export function nulInputErrors(document: DocumentNode, variables: Record<string, unknown> | undefined): FieldError[] {
  const paths: string[] = [];
  visit(document, {
    Argument(node) {
      paths.push(...nulLiterals(node.value, `/${node.name.value}`));
    },
  });
  paths.push(...nulPaths(variables ?? {}, '/variables'));
  return paths.map((path) => ({ path, message: NUL_MESSAGE }));
}

/**
 * Rejects, before it runs, any operation with U+0000 in a string argument or variable: one
 * BAD_USER_INPUT error (HTTP 400) whose `extensions.errors` names each field, as REST's validator
 * does for bodies and query strings (src/infra/validation.ts).
 */
export const rejectNulInputPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const errors = nulInputErrors(document, request.variables);
        if (errors.length === 0) return;
        throw new GraphQLError(`invalid input: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, {
          extensions: { code: 'BAD_USER_INPUT', errors, http: { status: 400 } },
        });
      },
    };
  },
};
