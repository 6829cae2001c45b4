import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Category, Purpose } from '../../common/domain.js';
import { insertInChunks } from '../../common/loaders.js';
import type { DemoSeeder } from '../../common/subgraph/demo-seeder.js';
import { personRandom, REFERENCE_DATE, type DemoPerson } from '../../seed/world.js';
import { loadNoticeList } from '../../common/policy/notices.js';
import { Consent, ConsentForm } from './entities/consent.entity.js';

const NOTICES = loadNoticeList();

function consentId(seed: number, index: number, n: number): string {
  const h = createHash('sha256').update(`verbund-consent:${seed}:${index}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Typical consents the clearing office collects: language and education data for the jobcenter, etc. */
const TEMPLATES: {
  recipients: (p: DemoPerson) => string[];
  purposes: Purpose[];
  categories: Category[];
  share: number;
}[] = [
  {
    recipients: () => ['jobcenter'],
    purposes: ['JOB_PLACEMENT', 'LANGUAGE_SUPPORT'],
    categories: ['CLEARING_LANGUAGE', 'CLEARING_EDUCATION'],
    share: 0.55,
  },
  {
    recipients: (p) => [`municipality:${p.municipalityAgs}`],
    purposes: ['HOUSING_ALLOCATION', 'CASE_CONFERENCE'],
    categories: ['CLEARING_LANGUAGE', 'EMPLOYMENT'],
    share: 0.3,
  },
  {
    recipients: (p) => (p.organisationId ? [`socialcare:${p.organisationId}`] : []),
    purposes: ['SOCIAL_COUNSELLING'],
    categories: ['IDENTITY', 'RESIDENCE', 'HOUSING', 'INTEGRATION_COURSE', 'CLEARING_LANGUAGE'],
    share: 0.7,
  },
  { recipients: () => ['jobcenter'], purposes: ['JOB_PLACEMENT'], categories: ['SOCIAL_CARE'], share: 0.15 },
  // Where a person lives, for the jobcenter's candidate search (issue #17). Last, so the draws above stay as they were.
  { recipients: () => ['jobcenter'], purposes: ['JOB_PLACEMENT'], categories: ['HOUSING'], share: 0.25 },
];

/** A share of persons consented to typical transfers; a few consents are withdrawn or expired. */
export const consentSeeder: DemoSeeder = {
  async persons(db: DataSource, persons: DemoPerson[], seed: number) {
    const rows: Partial<Consent>[] = [];
    for (const p of persons) {
      const r = personRandom(seed, p.index, 'consent');
      TEMPLATES.forEach((template, n) => {
        const recipients = template.recipients(p);
        if (recipients.length === 0 || !r.chance(template.share)) return;
        const givenOn = r.date(p.arrivalDate, REFERENCE_DATE);
        const givenAt = new Date(`${givenOn}T10:00:00Z`);
        // An expired consent ran for up to half a year and ended by the reference date (its last day the day before).
        const expiry = Math.min(givenAt.getTime() + 182 * 86_400_000, Date.parse(REFERENCE_DATE));
        const drawn = r.weighted([
          ['active', 90],
          ['withdrawn', 5],
          ['expired', 5],
        ] as const);
        const fate = drawn === 'expired' && expiry <= givenAt.getTime() ? 'active' : drawn;
        rows.push({
          id: consentId(seed, p.index, n),
          version: 1,
          isCurrent: true,
          personId: p.id,
          recipients,
          purposes: template.purposes,
          categories: template.categories,
          givenAt,
          validFrom: givenOn,
          validUntil: fate === 'expired' ? new Date(expiry - 86_400_000).toISOString().slice(0, 10) : null,
          withdrawnAt: fate === 'withdrawn' ? new Date(Date.parse(REFERENCE_DATE) - 7 * 86_400_000) : null,
          withdrawalReason: fate === 'withdrawn' ? 'Person asked to stop sharing' : null,
          form: r.chance(0.7) ? ConsentForm.WRITTEN : ConsentForm.ELECTRONIC,
          evidenceReference: `demo-archive/${p.index}/${n}`,
          noticeVersion: '2026-01',
          // The notice in the person's first language where the district has it, else in German.
          noticeLanguage:
            r.chance(0.6) && NOTICES.has('2026-01', p.firstLanguage.slice(0, 2)) ? p.firstLanguage.slice(0, 2) : 'de',
          recordedByOfficer: 'demo.consent-officer',
          recordedByAgency: 'county',
          recordedAt: givenAt,
        });
      });
    }
    await db.transaction((manager) => insertInChunks(manager, Consent, rows));
  },
};
