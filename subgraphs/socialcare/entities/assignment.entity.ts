import { Column, Entity, Index } from 'typeorm';
import { PersonRecord } from '../../../common/db/person-record.js';

/** A person's assignment to a caseworker of an organisation; at most one is open (`until` null) per person. */
@Entity('assignment')
@Index(['personId'])
export class Assignment extends PersonRecord {
  @Column({ type: 'text', name: 'organisation_id' })
  organisationId: string;

  @Column({ type: 'uuid', name: 'caseworker_id' })
  caseworkerId: string;

  @Column({ type: 'date' })
  since: string;

  @Column({ type: 'date', nullable: true })
  until: string | null;

  /** The municipality (AGS) where the counselling takes place; null on assignments recorded without it. */
  @Column({ type: 'char', length: 8, name: 'municipality_ags', nullable: true })
  municipalityAgs: string | null;
}
