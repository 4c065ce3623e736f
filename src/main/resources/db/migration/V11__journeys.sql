-- Journeys: Siyu's side of the BPMN journeys the Camunda engine runs (its tables come from V9).

-- One row per journey (BPMN process key): whether it takes new entries, and the trigger and
-- re-entry policy of its latest version, read from the BPMN start event at deploy time.
CREATE TABLE journeys (
  key         text PRIMARY KEY,
  name        text NOT NULL,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  trigger     jsonb NOT NULL,
  reentry     text NOT NULL,
  version     int NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per entry of a contact into a journey. The unique (journey, contact, entry key) is what
-- enforces the re-entry policy: the entry key is 'once', a period ('2026') or an event id, and the
-- row is written in the same transaction that starts the process instance.
CREATE TABLE journey_entries (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  journey_key         text NOT NULL REFERENCES journeys (key) ON DELETE CASCADE,
  contact_id          bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  entry_key           text NOT NULL,
  process_instance_id text UNIQUE, -- set in the same transaction, right after the instance starts
  version             int NOT NULL,
  source              text NOT NULL,
  entered_at          timestamptz NOT NULL DEFAULT now(),
  goal                text,
  goal_reached_at     timestamptz,
  branch              text,
  UNIQUE (journey_key, contact_id, entry_key)
);
CREATE INDEX journey_entries_contact_idx ON journey_entries (contact_id, entered_at);
CREATE INDEX journey_entries_journey_idx ON journey_entries (journey_key, entered_at);

-- The event types deployed journeys listen to (triggers, waits, exits): only events of these
-- types are handed to journeys.
CREATE TABLE journey_listens (
  event_type  text NOT NULL,
  journey_key text NOT NULL REFERENCES journeys (key) ON DELETE CASCADE,
  PRIMARY KEY (event_type, journey_key)
);

-- Events waiting to be handed to journeys, written by a trigger in the same transaction as the
-- event itself, however it was stored (API, import, recompute): a crash never loses one.
CREATE TABLE journey_inbox (
  event_id        bigint PRIMARY KEY,
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  parked          boolean NOT NULL DEFAULT false
);
CREATE INDEX journey_inbox_due_idx ON journey_inbox (next_attempt_at) WHERE NOT parked;

CREATE FUNCTION journey_inbox_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO journey_inbox (event_id)
  SELECT n.id FROM new_events n WHERE n.type IN (SELECT event_type FROM journey_listens)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER events_to_journey_inbox AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION journey_inbox_capture();
