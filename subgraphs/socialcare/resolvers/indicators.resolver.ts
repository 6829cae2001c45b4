import { createIndicatorFields } from '../../../common/monitoring/indicator.resolver.js';
import { Indicators } from '../entities/indicators.type.js';
import { SocialcareIndicatorService } from '../services/indicators.service.js';

/** Social care's contribution to monitoring: open support needs, across all welfare organisations. */
export const indicatorFields = createIndicatorFields(Indicators, SocialcareIndicatorService, [
  {
    field: 'openSupportNeeds',
    count: 'openSupportNeeds',
    description:
      'Persons with an open support need at the end of the period, by field of action (HOUSING, LANGUAGE, EDUCATION, ' +
      'WORK_AND_TRAINING, SOCIAL_PARTICIPATION, HEALTH); a person counts once per field. By the counselling municipality.',
  },
  {
    field: 'socialParticipation',
    count: 'socialParticipation',
    description:
      'Persons taking part at the end of the period, as the welfare organisations record it, by kind: SPORTS_CLUB, ' +
      'OTHER_CLUB, COMMUNITY_OFFER, VOLUNTEERING; a person counts once per kind. By the counselling municipality.',
  },
  {
    field: 'languageSupport',
    count: 'languageSupport',
    description:
      'Persons in language support beyond the integration courses at the end of the period, as the welfare ' +
      'organisations record it: LANGUAGE_CAFE, LANGUAGE_TUTORING, PARENTS_LANGUAGE_GROUP; once per kind. By the counselling municipality.',
  },
]);
