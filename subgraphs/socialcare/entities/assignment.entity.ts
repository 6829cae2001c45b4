import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A person's assignment to a caseworker of an organisation; at most one is open (`until` null) per person. */
@Entity('assignment')
export class Assignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;

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
