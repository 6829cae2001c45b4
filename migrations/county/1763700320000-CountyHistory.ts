import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring from histories: the county kept a person's current assignment and latest clearing only, so a
 * past period was counted with today's assignment and a person cleared again dropped out of it. Two history
 * tables, written by triggers so that every writer (the mutations, the demo seed, a bulk import) keeps them:
 *
 * - `municipality_assignment`: each assignment to a municipality with the day it began and ended. A person
 *   registered with an assignment gets one from the arrival date; changing `person.assigned_municipality_ags`
 *   ends the current one today and begins the next today.
 * - `clearing_record`: each clearing with the day it was completed and the German level it recorded.
 *   Recording a clearing saves the profile (a new record), then replaces the language skills; a change of
 *   the German skill sets the level of the person's record written last (skills are only written with a
 *   clearing).
 *
 * Existing data is kept: `up` fills both tables from the current state (assignments from the arrival date,
 * each profile as one clearing); `down` drops them and leaves the current state as it was.
 */
export class CountyHistory1763700320000 implements MigrationInterface {
  name = 'CountyHistory1763700320000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE municipality_assignment (
        id bigserial PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        municipality_ags char(8) NOT NULL CHECK (municipality_ags ~ '^[0-9]{8}$'),
        since date NOT NULL,
        until date,
        CHECK (until IS NULL OR until >= since)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX municipality_assignment_current_idx ON municipality_assignment (person_id) WHERE until IS NULL`,
    );
    await db.query(
      `CREATE INDEX municipality_assignment_as_of_idx ON municipality_assignment (person_id, since DESC, id) INCLUDE (until, municipality_ags)`,
    );
    await db.query(`
      CREATE TABLE clearing_record (
        id bigserial PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        completed_on date NOT NULL,
        german_level text CHECK (german_level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NATIVE')),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX clearing_record_as_of_idx ON clearing_record (person_id, completed_on DESC, id DESC) INCLUDE (german_level)`,
    );

    await db.query(`
      INSERT INTO municipality_assignment (person_id, municipality_ags, since)
      SELECT id, assigned_municipality_ags, arrival_date FROM person WHERE assigned_municipality_ags IS NOT NULL`);
    await db.query(`
      INSERT INTO clearing_record (person_id, completed_on, german_level, recorded_by)
      SELECT c.person_id, c.completed_on, l.level, c.recorded_by
      FROM clearing_profile c LEFT JOIN language_skill l ON l.person_id = c.person_id AND l.language = 'de'`);

    await db.query(`
      CREATE FUNCTION municipality_assignment_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.assigned_municipality_ags IS NOT NULL THEN
            INSERT INTO municipality_assignment (person_id, municipality_ags, since)
            VALUES (NEW.id, NEW.assigned_municipality_ags, LEAST(NEW.arrival_date, CURRENT_DATE));
          END IF;
        ELSIF NEW.assigned_municipality_ags IS DISTINCT FROM OLD.assigned_municipality_ags THEN
          UPDATE municipality_assignment SET until = GREATEST(since, CURRENT_DATE) WHERE person_id = NEW.id AND until IS NULL;
          IF NEW.assigned_municipality_ags IS NOT NULL THEN
            INSERT INTO municipality_assignment (person_id, municipality_ags, since)
            VALUES (NEW.id, NEW.assigned_municipality_ags, CURRENT_DATE);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER person_assignment_history AFTER INSERT OR UPDATE OF assigned_municipality_ags ON person
      FOR EACH ROW EXECUTE FUNCTION municipality_assignment_track()`);
    await db.query(`
      CREATE FUNCTION clearing_record_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO clearing_record (person_id, completed_on, german_level, recorded_by)
        VALUES (NEW.person_id, NEW.completed_on,
                (SELECT level FROM language_skill WHERE person_id = NEW.person_id AND language = 'de'), NEW.recorded_by);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER clearing_profile_history AFTER INSERT OR UPDATE ON clearing_profile
      FOR EACH ROW EXECUTE FUNCTION clearing_record_track()`);
    await db.query(`
      CREATE FUNCTION clearing_german_track() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        subject uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.person_id ELSE NEW.person_id END;
      BEGIN
        IF (TG_OP <> 'DELETE' AND NEW.language = 'de') OR (TG_OP <> 'INSERT' AND OLD.language = 'de') THEN
          UPDATE clearing_record SET german_level =
            (SELECT level FROM language_skill WHERE person_id = subject AND language = 'de')
          WHERE id = (SELECT max(id) FROM clearing_record WHERE person_id = subject);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER language_skill_history AFTER INSERT OR UPDATE OR DELETE ON language_skill
      FOR EACH ROW EXECUTE FUNCTION clearing_german_track()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER language_skill_history ON language_skill`);
    await db.query(`DROP TRIGGER clearing_profile_history ON clearing_profile`);
    await db.query(`DROP TRIGGER person_assignment_history ON person`);
    await db.query(`DROP FUNCTION clearing_german_track(), clearing_record_track(), municipality_assignment_track()`);
    await db.query(`DROP TABLE clearing_record, municipality_assignment`);
  }
}
