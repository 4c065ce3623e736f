-- The inbox row carries its event's contact, so several inbox workers can each take a share of
-- the contacts (contact_id modulo the worker count): one contact's events stay in one worker, in
-- order, while different contacts' events are handed to journeys side by side.
ALTER TABLE journey_inbox ADD COLUMN contact_id bigint;
UPDATE journey_inbox i SET contact_id = e.contact_id FROM events e WHERE e.id = i.event_id;
DELETE FROM journey_inbox WHERE contact_id IS NULL;
ALTER TABLE journey_inbox ALTER COLUMN contact_id SET NOT NULL;

CREATE OR REPLACE FUNCTION journey_inbox_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO journey_inbox (event_id, contact_id)
  SELECT n.id, n.contact_id FROM new_events n WHERE n.type IN (SELECT event_type FROM journey_listens)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
