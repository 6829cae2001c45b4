import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A municipality of the district, as reference data; the county refers to it by `ags`. */
@Entity('municipality')
@ObjectType('Municipality')
@Directive('@key(fields: "ags")')
export class Municipality {
  @PrimaryColumn({ type: 'char', length: 8 })
  @Field(() => String, { description: 'Official municipality key (Amtlicher Gemeindeschlüssel), eight digits.' })
  ags: string;

  @Column({ type: 'text' })
  @Field(() => String)
  name: string;

  @Column({ type: 'int' })
  @Field(() => Int)
  population: number;
}
