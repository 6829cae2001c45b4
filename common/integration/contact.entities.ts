import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { PersonRecord } from '../db/person-record.js';
import type { FieldOfAction } from './field-of-action.js';
import { RecordedByColumn } from '../db/period-columns.js';

/** One officer of a partner, stored once: staff data, not a refugee's. */
@Entity('staff_member')
export class StaffMember {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The agency the officer works for, as tokens name it. */
  @Index()
  @Column({ type: 'text' })
  agency: string;

  /** The office as the public knows it, e.g. "Jobcenter Landkreis Lindenau". */
  @Column({ type: 'text' })
  office: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;
}

/** That an officer is a person's contact for a field of action; at most one open per (person, agency, field). */
@Entity('contact_assignment')
export class ContactAssignment extends PersonRecord {
  @Column({ type: 'text' })
  agency: string;

  @Column({ type: 'text', name: 'field_of_action' })
  fieldOfAction: FieldOfAction;

  @Column({ type: 'uuid', name: 'staff_id' })
  staffId: string;

  @Column({ type: 'date' })
  since: string;

  @Column({ type: 'date', nullable: true })
  until: string | null;

  @RecordedByColumn()
  recordedBy: string;
}
