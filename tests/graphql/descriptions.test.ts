import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
} from 'graphql';
import { buildAppSchema } from '../../src/modules';

/**
 * Every element of the schema that a client's documentation shows (issue 12 §4): its types, fields,
 * arguments, input fields and enum values, named by their coordinate (`Type.field(arg:)`), that
 * have no description. Built-in scalars, directives and introspection types are the GraphQL specification's.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  const checkArgs = (owner: string, args: readonly GraphQLArgument[]) => args.forEach((a) => check(`${owner}(${a.name}:)`, a.description));
  const types = Object.values(schema.getTypeMap()).filter((t: GraphQLNamedType) => !isIntrospectionType(t) && !isSpecifiedScalarType(t));
  for (const type of types) {
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        checkArgs(`${type.name}.${field.name}`, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  for (const directive of schema.getDirectives().filter((d) => !isSpecifiedDirective(d))) {
    check(`@${directive.name}`, directive.description);
    checkArgs(`@${directive.name}`, directive.args);
  }
  return missing;
}

describe('GraphQL schema descriptions', () => {
  it('when the schema is built, then every type, field, argument, input field and enum value has a description', async () => {
    expect(undescribed(await buildAppSchema())).toEqual([]);
  });

  it('when an element lacks a description, then the walk names it', () => {
    const schema = buildSchema('"""q""" type Query { """f""" a(x: Int): E b: Int } enum E { """v""" V W } input I { """f""" c: Int d: Int }');
    expect(undescribed(schema).sort()).toEqual(['E', 'E.W', 'I', 'I.d', 'Query.a(x:)', 'Query.b'].sort());
  });
});
