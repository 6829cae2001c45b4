import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { GraphQLEnumType, printType } from 'graphql';
import { Field, ObjectType, Query, Resolver, buildSchemaSync } from 'type-graphql';
import { graphqlEnum, graphqlEnums, type ValueOf } from './graphql-enum.js';

const Colour = graphqlEnum('TestColour', 'RED GREEN BLUE', { description: 'A colour.' });
type Colour = ValueOf<typeof Colour>;

@ObjectType()
class Paint {
  @Field(() => Colour)
  colour: Colour;
}

@Resolver()
class PaintResolver {
  @Query(() => Paint)
  paint(): Paint {
    return { colour: Colour.GREEN };
  }
}

describe('a vocabulary declared once', () => {
  it('is an object of its values and the GraphQL enum of the same values, in the order given', () => {
    assert.deepEqual(Object.values(Colour), ['RED', 'GREEN', 'BLUE']);
    assert.equal(Colour.BLUE, 'BLUE');
    assert.ok(Object.isFrozen(Colour));
    const schema = buildSchemaSync({ resolvers: [PaintResolver], validate: false });
    const type = schema.getType('TestColour');
    assert.ok(type instanceof GraphQLEnumType);
    assert.equal(printType(type), '"""A colour."""\nenum TestColour {\n  RED\n  GREEN\n  BLUE\n}');
  });

  it('takes a list from the shared vocabulary as well as a spelled-out one', () => {
    const Size = graphqlEnum('TestSize', ['SMALL', 'LARGE'] as const);
    assert.deepEqual(Object.keys(Size), ['SMALL', 'LARGE']);
  });

  it('declares a table of vocabularies, each registered under its key with its description', () => {
    const { TestShade, TestSheen } = graphqlEnums({
      TestShade: { values: 'LIGHT DARK', description: 'A shade.' },
      TestSheen: 'MATT GLOSS',
    });
    assert.deepEqual(Object.values(TestShade), ['LIGHT', 'DARK']);
    assert.equal(TestSheen.GLOSS, 'GLOSS');

    @ObjectType()
    class Finish {
      @Field(() => TestShade)
      shade: ValueOf<typeof TestShade>;

      @Field(() => TestSheen)
      sheen: ValueOf<typeof TestSheen>;
    }
    @Resolver()
    class FinishResolver {
      @Query(() => Finish)
      finish(): Finish {
        return { shade: TestShade.DARK, sheen: TestSheen.MATT };
      }
    }
    const schema = buildSchemaSync({ resolvers: [FinishResolver], validate: false });
    assert.equal(printType(schema.getType('TestShade')!), '"""A shade."""\nenum TestShade {\n  LIGHT\n  DARK\n}');
    assert.equal(printType(schema.getType('TestSheen')!), 'enum TestSheen {\n  MATT\n  GLOSS\n}');
  });

  it('refuses values that are not distinct upper-case names, naming the enum', () => {
    assert.throws(() => graphqlEnum('TestBad', 'RED  GREEN'), /TestBad must be distinct upper-case names/);
    assert.throws(() => graphqlEnum('TestBad', 'RED red'), /TestBad/);
    assert.throws(() => graphqlEnum('TestBad', 'RED RED'), /TestBad/);
  });
});
