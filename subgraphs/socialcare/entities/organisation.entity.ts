import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A welfare organisation counselling refugees (Flüchtlingssozialarbeit); its key is the JWT's provider. */
@Entity('organisation')
@ObjectType('WelfareOrganisation')
export class WelfareOrganisation {
  @PrimaryColumn({ type: 'text' })
  @Field(() => ID, { description: 'The key in the agency claim `socialcare:<id>`, e.g. "caritas".' })
  id: string;

  @Column({ type: 'text' })
  @Field(() => String)
  name: string;
}
