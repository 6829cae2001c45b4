import { Directive, Field, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import { ResidenceStatus } from './enums.js';

/** A municipality of the district; the municipality subgraph owns its details. */
@ObjectType('Municipality')
@Directive('@key(fields: "ags", resolvable: false)')
export class MunicipalityReference {
  @Field(() => String, { description: 'Official municipality key (Amtlicher Gemeindeschlüssel), eight digits.' })
  ags: string;
}

/** Residence status and allocation, as the immigration office (Ausländerbehörde) records them. */
@ObjectType('Residence')
export class Residence {
  personId: string;

  @Field(() => ResidenceStatus)
  status: ResidenceStatus;

  @Field(() => LocalDateScalar, { nullable: true })
  validUntil: string | null;

  @Field(() => LocalDateScalar)
  arrivalDate: string;

  @Field(() => MunicipalityReference, { nullable: true, description: 'The municipality the person is assigned to.' })
  assignedMunicipality: MunicipalityReference | null;
}
