"""Database guarantees for a cohort's calendar and teams that a CHECK constraint cannot express.

- Every stage and every non-learning day lies within its cohort's [start_date, end_date].
- A cohort's stages do not overlap.
  Both are checked by one PL/pgSQL function, run by constraint triggers on the stage, the
  non-learning day and the cohort (when its dates change). The triggers are DEFERRABLE INITIALLY
  DEFERRED: they run at commit, so the admin may move a cohort's dates and its stages in one save
  in any order. The function locks the cohort row (FOR NO KEY UPDATE), so two transactions that
  each add a stage cannot both pass the overlap check; entries referencing the cohort (FOR KEY
  SHARE) are not blocked. Plain SQL rather than an exclusion constraint: btree_gist is not
  available on every server Camplog runs on (the embedded one has no contrib extensions).
- A membership's team and an invite's team belong to the same cohort: a composite foreign key
  (team_id, cohort_id) -> accounts_team (id, cohort_id).

Violations raise SQLSTATE 23514 (check_violation), which Django reports as IntegrityError. The
admin forms check the same rules first (accounts.calendar.validate_calendar) with friendlier words.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION accounts_check_calendar(p_cohort_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c record;
    bad record;
BEGIN
    SELECT id, start_date, end_date INTO c
      FROM accounts_cohort WHERE id = p_cohort_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN;  -- the cohort is being deleted with its calendar
    END IF;

    SELECT d.date, d.name INTO bad
      FROM accounts_nonlearningday d
     WHERE d.cohort_id = c.id AND (d.date < c.start_date OR d.date > c.end_date)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'non-learning day % (%) is outside cohort % (% – %)',
            bad.date, bad.name, c.id, c.start_date, c.end_date
            USING ERRCODE = 'check_violation', CONSTRAINT = 'non_learning_day_inside_cohort';
    END IF;

    SELECT s.name, s.start_date, s.end_date INTO bad
      FROM accounts_stage s
     WHERE s.cohort_id = c.id AND (s.start_date < c.start_date OR s.end_date > c.end_date)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'stage % (% – %) is outside cohort % (% – %)',
            bad.name, bad.start_date, bad.end_date, c.id, c.start_date, c.end_date
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stage_inside_cohort';
    END IF;

    SELECT a.name AS first, b.name AS second INTO bad
      FROM accounts_stage a
      JOIN accounts_stage b
        ON b.cohort_id = a.cohort_id AND a.id < b.id
       AND a.start_date <= b.end_date AND b.start_date <= a.end_date
     WHERE a.cohort_id = c.id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'stages % and % of cohort % overlap', bad.first, bad.second, c.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stage_no_overlap';
    END IF;
END;
$$;

CREATE FUNCTION accounts_calendar_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'accounts_cohort' THEN
        PERFORM accounts_check_calendar(NEW.id);
    ELSE
        PERFORM accounts_check_calendar(NEW.cohort_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER stage_calendar_check
    AFTER INSERT OR UPDATE ON accounts_stage
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounts_calendar_trigger();

CREATE CONSTRAINT TRIGGER non_learning_day_calendar_check
    AFTER INSERT OR UPDATE ON accounts_nonlearningday
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounts_calendar_trigger();

CREATE CONSTRAINT TRIGGER cohort_calendar_check
    AFTER UPDATE OF start_date, end_date ON accounts_cohort
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounts_calendar_trigger();

ALTER TABLE accounts_team
    ADD CONSTRAINT team_id_cohort_unique UNIQUE (id, cohort_id);
ALTER TABLE accounts_membership
    ADD CONSTRAINT membership_team_in_cohort FOREIGN KEY (team_id, cohort_id)
    REFERENCES accounts_team (id, cohort_id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE accounts_invite
    ADD CONSTRAINT invite_team_in_cohort FOREIGN KEY (team_id, cohort_id)
    REFERENCES accounts_team (id, cohort_id) DEFERRABLE INITIALLY DEFERRED;
"""

BACKWARD = """
ALTER TABLE accounts_invite DROP CONSTRAINT invite_team_in_cohort;
ALTER TABLE accounts_membership DROP CONSTRAINT membership_team_in_cohort;
ALTER TABLE accounts_team DROP CONSTRAINT team_id_cohort_unique;
DROP TRIGGER cohort_calendar_check ON accounts_cohort;
DROP TRIGGER non_learning_day_calendar_check ON accounts_nonlearningday;
DROP TRIGGER stage_calendar_check ON accounts_stage;
DROP FUNCTION accounts_calendar_trigger();
DROP FUNCTION accounts_check_calendar(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_invites_and_constraint_messages")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
