-- A touch's history rows and its place in the queue lose their foreign keys to `touches`.
-- Every one of them is written by the same statement that inserts or updates its touch (the
-- outbox's enqueue, the dispatcher's claim and record, a receipt, a requeue), so the touch exists
-- and is locked by that statement: the key's check on each row (a lookup and a key-share lock of
-- the touch, per row) proved nothing new, and it cost about a quarter of writing a touch and its
-- two companions. Deleting touches (a contact's erasure cascades to them) still takes their
-- history and queue place along, by the trigger below, once per statement.
ALTER TABLE touch_history DROP CONSTRAINT touch_history_touch_id_fkey;
ALTER TABLE touch_queue DROP CONSTRAINT touch_queue_touch_id_fkey;

CREATE FUNCTION touches_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM touch_queue q USING gone g WHERE q.touch_id = g.id;
  DELETE FROM touch_history h USING gone g WHERE h.touch_id = g.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER touches_deleted AFTER DELETE ON touches
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION touches_deleted();
