import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spelling-tolerant name search. Names of refugees reach the county written by each agency in its own way
 * ("Kravets", "Krawez", "Кравець"; "Mohammed", "Muhammad", "محمد"). `name_key(word)` writes a word in Latin
 * letters (a transliteration table for Cyrillic, Arabic and Persian script, German-style: в → w, ц → z,
 * ш → sch) and codes it with the Kölner Phonetik (Postel 1969), whose codes ignore vowels; repeated codes are
 * then collapsed once more, so that script without written vowels ("mhmd") meets its Latin spellings.
 * `name_keys(name)` codes each part of a name (split at spaces and hyphens), and a GIN index over the given and
 * family names' keys serves `searchPersons`.
 */
export class NameKeys1763700500000 implements MigrationInterface {
  name = 'NameKeys1763700500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- The functions call each other by schema-qualified names: PostgreSQL 17 and later build and maintain an
      -- index with search_path set to pg_catalog only, where an unqualified name_key() is not found.
      CREATE FUNCTION name_latin(word text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT translate(
          replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
          replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
            lower(word),
            'щ', 'schtsch'), 'ш', 'sch'), 'ч', 'tsch'), 'ж', 'sch'), 'х', 'ch'), 'ю', 'ju'), 'я', 'ja'),
            'є', 'je'), 'ї', 'ji'), 'ё', 'jo'), 'ث', 'th'), 'ذ', 'dh'), 'ش', 'sch'), 'خ', 'ch'), 'غ', 'gh'),
            'چ', 'tsch'), 'ژ', 'sch'), 'ج', 'dsch'), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
          -- one letter for one letter; the last four (hard and soft sign, ʿayn, hamza) are left out
          'абвгґдезиійклмнопрстуфцыэاأإآبتحدرزسصضطظفقكلمنهةويىپگکیъьعء',
          'abwggdesiijklmnoprstufzyeaaiabthdrzssdtzfqklmnhawyapgky'
        )
      $$;

      CREATE FUNCTION name_key(word text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
      DECLARE
        s text := regexp_replace(upper(public.name_latin(word)), '[^A-Z]', '', 'g');
        c text; prev text; nxt text; code text;
        raw text := ''; kept text := ''; last text := NULL; result text := '';
      BEGIN
        FOR i IN 1 .. length(s) LOOP
          c := substr(s, i, 1);
          prev := CASE WHEN i > 1 THEN substr(s, i - 1, 1) ELSE '' END;
          nxt := substr(s, i + 1, 1);
          code := CASE
            WHEN c IN ('A', 'E', 'I', 'J', 'O', 'U', 'Y') THEN '0'
            WHEN c = 'H' THEN ''
            WHEN c = 'B' THEN '1'
            WHEN c = 'P' THEN CASE WHEN nxt = 'H' THEN '3' ELSE '1' END
            WHEN c IN ('D', 'T') THEN CASE WHEN nxt IN ('C', 'S', 'Z') THEN '8' ELSE '2' END
            WHEN c IN ('F', 'V', 'W') THEN '3'
            WHEN c IN ('G', 'K', 'Q') THEN '4'
            WHEN c = 'C' THEN CASE
              WHEN i = 1 THEN CASE WHEN nxt IN ('A', 'H', 'K', 'L', 'O', 'Q', 'R', 'U', 'X') THEN '4' ELSE '8' END
              WHEN prev IN ('S', 'Z') THEN '8'
              WHEN nxt IN ('A', 'H', 'K', 'O', 'Q', 'U', 'X') THEN '4'
              ELSE '8' END
            WHEN c = 'X' THEN CASE WHEN prev IN ('C', 'K', 'Q') THEN '8' ELSE '48' END
            WHEN c = 'L' THEN '5'
            WHEN c IN ('M', 'N') THEN '6'
            WHEN c = 'R' THEN '7'
            WHEN c IN ('S', 'Z') THEN '8'
            ELSE '' END;
          raw := raw || code;
        END LOOP;
        -- Kölner Phonetik: repeated codes collapse, then every 0 but a leading one goes.
        FOR i IN 1 .. length(raw) LOOP
          c := substr(raw, i, 1);
          IF last IS NULL OR c <> last THEN kept := kept || c; END IF;
          last := c;
        END LOOP;
        kept := substr(kept, 1, 1) || replace(substr(kept, 2), '0', '');
        -- Once more, for script that writes no vowels between repeated sounds.
        last := NULL;
        FOR i IN 1 .. length(kept) LOOP
          c := substr(kept, i, 1);
          IF last IS NULL OR c <> last THEN result := result || c; END IF;
          last := c;
        END LOOP;
        RETURN result;
      END
      $$;

      CREATE FUNCTION name_keys(name text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(public.name_key(part)) FILTER (WHERE public.name_key(part) <> ''), '{}')
        FROM regexp_split_to_table(name, '[\\s-]+') AS part
      $$;

      CREATE INDEX person_name_keys ON person USING gin ((name_keys(given_name) || name_keys(family_name)));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX person_name_keys;
      DROP FUNCTION name_keys(text);
      DROP FUNCTION name_key(text);
      DROP FUNCTION name_latin(text);
    `);
  }
}
