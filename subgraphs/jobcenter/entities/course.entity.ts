import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { CourseStatus, CourseType } from './enums.js';

/** An integration course (Integrationskurs) the person waits for, attends or attended. */
@Entity('integration_course')
@ObjectType('IntegrationCourse')
export class IntegrationCourse {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Index()
  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;

  @Column({ type: 'text', name: 'course_type' })
  @Field(() => CourseType)
  courseType: CourseType;

  @Column({ type: 'text' })
  @Field(() => CourseStatus)
  status: CourseStatus;

  /** Exposed as `level` by the course resolver. */
  @Column({ type: 'text', name: 'target_level' })
  targetLevel: string;

  @Column({ type: 'text', name: 'result_level', nullable: true })
  @Field(() => String, { nullable: true, description: 'The CEFR level certified at the final test, once completed.' })
  resultLevel: string | null;

  @Column({ type: 'date' })
  @Field(() => LocalDateScalar)
  starts: string;

  @Column({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  ends: string | null;

  @Column({ type: 'text', name: 'recorded_by' })
  recordedBy: string;
}
