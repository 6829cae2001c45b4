import { createIndicatorFields } from '../../../common/monitoring/indicator.resolver.js';
import { Indicators } from '../entities/indicators.type.js';
import { JobcenterIndicatorService } from '../services/indicators.service.js';

/** The jobcenter's contribution to monitoring: work and training, integration courses. */
export const indicatorFields = createIndicatorFields(Indicators, JobcenterIndicatorService, [
  {
    field: 'employmentStatus',
    count: 'employment',
    description:
      'Jobcenter clients by employment status at the end of the period: EMPLOYED, IN_TRAINING, IN_MEASURE, SEEKING, ' +
      "NOT_AVAILABLE; by the municipality in the jobcenter's file.",
  },
  {
    field: 'integrationCourses',
    count: 'integrationCourses',
    description:
      'Clients who had begun an integration course by the end of the period, by their latest course: ATTENDING, ' +
      "ABORTED, or COMPLETED_<level certified>; the total is everyone enrolled so far. By the jobcenter's municipality.",
  },
  {
    field: 'vocationalLanguage',
    count: 'vocationalLanguage',
    description:
      'Language support beyond integration courses: clients who had begun a vocational language course (DeuFöV) by ' +
      "the end of the period, by their latest: ATTENDING, ENDED. By the jobcenter's municipality.",
  },
]);
