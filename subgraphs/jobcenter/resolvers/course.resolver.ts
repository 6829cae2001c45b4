import { FieldResolver, Resolver, Root } from 'type-graphql';
import { IntegrationCourse } from '../entities/course.entity.js';

@Resolver(() => IntegrationCourse)
export class CourseResolver {
  @FieldResolver(() => String, { description: 'The CEFR level the course aims at (A1 to C2).' })
  level(@Root() course: IntegrationCourse): string {
    return course.targetLevel;
  }
}
