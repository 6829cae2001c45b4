import { createIndicatorFields } from '../../../common/monitoring/indicator.resolver.js';
import { Indicators } from '../entities/indicators.type.js';
import { CountyIndicatorService } from '../services/indicators.service.js';

/** The county's contribution to monitoring: language at clearing. */
export const indicatorFields = createIndicatorFields(Indicators, CountyIndicatorService, [
  {
    field: 'germanAtClearing',
    count: 'germanAtClearing',
    description:
      'Persons cleared by the end of the period, by the German level recorded at clearing (CEFR): A1, A2, B1, B2, ' +
      'C1_AND_ABOVE (C1, C2, native), NONE (no German recorded); by the municipality the county assigned.',
  },
]);
