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
}
