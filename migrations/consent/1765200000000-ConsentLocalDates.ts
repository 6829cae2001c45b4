import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The zone the existing rows were typed in. Until this migration the console sent a typed date as local
 * midnight of the officer's browser, which in the district's offices is Europe/Berlin; API clients sent
 * instants. Converting in this zone gives back the day the officer typed.
 */
export const CONVERSION_ZONE = 'Europe/Berlin';

/**
 * Validity becomes a pair of calendar dates (`date` columns), in force from the start of `valid_from` through
 * the end of `valid_until` in the district's time zone; a consent can be voided (recorded in error).
 *
 * The rule for existing rows: each instant becomes the calendar day it falls on in Europe/Berlin. For
 * `valid_from` that is the day the console sent (its 00:00) or the day of `given_at`. For `valid_until` the
 * console sent 00:00 Berlin time of the typed day "valid until 30.06.", so 2027-06-29T22:00Z becomes
 * 2027-06-30 and the consent now covers that whole day, as the officer meant (the hub had ended it at the
 * day's start). An instant with a time of day (an API client's) keeps the day it falls on. A day that earlier
 * changes already moved (each change of a consent moved its end one day earlier) cannot be told from a day
 * an officer shortened on purpose, so no row is guessed at: each version keeps the day its own instant shows.
 */
export class ConsentLocalDates1765200000000 implements MigrationInterface {
  name = 'ConsentLocalDates1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consent DROP CONSTRAINT IF EXISTS consent_check`);
    await db.query(
      `ALTER TABLE consent
         ALTER COLUMN valid_from TYPE date USING (valid_from AT TIME ZONE '${CONVERSION_ZONE}')::date,
         ALTER COLUMN valid_until TYPE date USING (valid_until AT TIME ZONE '${CONVERSION_ZONE}')::date,
         ADD COLUMN voided_at timestamptz,
         ADD COLUMN void_reason text`,
    );
    await db.query(
      `ALTER TABLE consent ADD CONSTRAINT consent_validity_check CHECK (valid_until IS NULL OR valid_until >= valid_from)`,
    );
    await db.query(
      `ALTER TABLE consent ADD CONSTRAINT consent_void_reason_check CHECK (voided_at IS NULL OR void_reason IS NOT NULL)`,
    );
  }

  /**
   * Back to instants as the console wrote them before: each day's 00:00 in Berlin (so that up again gives the
   * same days; the old code then ends a consent at the start of its last day, as it did). A void becomes a
   * withdrawal, so that the old code lets it allow nothing either.
   */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consent DROP CONSTRAINT consent_validity_check`);
    await db.query(`ALTER TABLE consent DROP CONSTRAINT consent_void_reason_check`);
    await db.query(
      `UPDATE consent SET withdrawn_at = coalesce(withdrawn_at, voided_at),
                          withdrawal_reason = coalesce(withdrawal_reason, 'voided: ' || void_reason)
        WHERE voided_at IS NOT NULL`,
    );
    await db.query(
      `ALTER TABLE consent
         ALTER COLUMN valid_from TYPE timestamptz USING valid_from::timestamp AT TIME ZONE '${CONVERSION_ZONE}',
         ALTER COLUMN valid_until TYPE timestamptz USING valid_until::timestamp AT TIME ZONE '${CONVERSION_ZONE}',
         DROP COLUMN voided_at,
         DROP COLUMN void_reason`,
    );
    await db.query(
      `ALTER TABLE consent ADD CONSTRAINT consent_check CHECK (valid_until IS NULL OR valid_until > valid_from) NOT VALID`,
    );
  }
}
