-- The send path's last per-row checks and index that buy nothing.
--
-- 1. A frequency cap's place (contact_send_days) loses its foreign key to contacts. The key's
--    check ran for every new place: a lookup of the contact and a key-share lock on its row (a
--    write to the contact's page, per touch). The dispatcher takes places only for the contacts
--    of the touches it has just claimed; a place left behind by a contact erased at that very
--    moment is dropped with the other old places (SendLimits.forgetOldDays). Erasing a contact
--    still takes its places along, by the trigger below.
ALTER TABLE contact_send_days DROP CONSTRAINT contact_send_days_contact_id_fkey;

CREATE FUNCTION contacts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM contact_send_days d USING gone g WHERE d.contact_id = g.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER contacts_deleted AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION contacts_deleted();

-- 2. A touch's history is read by touch (touch_id, id) and never by id alone: that index becomes
--    the primary key, and the one on id alone, written for every row, goes.
ALTER TABLE touch_history DROP CONSTRAINT touch_history_pkey;
ALTER TABLE touch_history ADD PRIMARY KEY (touch_id, id);
DROP INDEX touch_history_touch_idx;

-- 3. An attempt is one history row: its result, with the attempt's number and when it was claimed
--    (started_at). The API shows the 'sending' step of the attempt from these, as before; until
--    now it was a row of its own, written with the result, and half of a send's history writes.
--    Rows written before keep their own 'sending' rows (and no attempt here).
ALTER TABLE touch_history ADD COLUMN attempt integer, ADD COLUMN started_at timestamptz;

-- 4. `touches` stopped being the dispatcher's queue in V28: its updates are heap-only since, and
--    the queue-like vacuum settings of V15 only made autovacuum visit it every few seconds under
--    load. PostgreSQL's defaults serve it now.
ALTER TABLE touches RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_cost_delay);
