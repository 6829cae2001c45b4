import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { CourseStatus, CourseType } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';
import { DayColumn, EndDayColumn, RecordedByColumn } from '../../../common/db/period-columns.js';

/** An integration course (Integrationskurs) the person waits for, attends or attended. */
@Entity('integration_course')
@ObjectType('IntegrationCourse')
@Index(['personId'])
export class IntegrationCourse extends PersonRecord {
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

  @DayColumn()
  starts: string;

  @EndDayColumn()
  ends: string | null;

  @RecordedByColumn()
  recordedBy: string;
}
