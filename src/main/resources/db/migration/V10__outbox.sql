-- The outbox: touches (messages to send to a contact) written by journeys inside their own
-- transaction, delivered by the dispatcher, with every change of status kept in touch_history.
-- (V9 is the journeys migration.)

CREATE TABLE touches (
  id                  bigserial PRIMARY KEY,
  -- the writer's idempotency key: a journey step retried by its engine writes its touch once
  touch_key           text NOT NULL UNIQUE,
  contact_id          bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  journey_key         text,
  process_instance_id text,
  activity_id         text,
  channel             text NOT NULL,
  template_key        text NOT NULL,
  payload             jsonb NOT NULL DEFAULT '{}',
  -- queued → sending → sent | queued (retry) | dead; failed and suppressed are for later
  -- provider receipts and consent/frequency rules
  status              text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead', 'suppressed')),
  -- sends started so far (a claim counts one before the send)
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  last_error          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- for a touch in 'sending', when it was claimed: the lease runs from here
  updated_at          timestamptz NOT NULL DEFAULT now()
);
-- the dispatcher's claim: only queued touches, the most overdue first
CREATE INDEX touches_due_idx ON touches (next_attempt_at) WHERE status = 'queued';
-- the lease sweep: only touches being sent
CREATE INDEX touches_sending_idx ON touches (updated_at) WHERE status = 'sending';
CREATE INDEX touches_contact_idx ON touches (contact_id, id);
CREATE INDEX touches_journey_idx ON touches (journey_key, activity_id, status);

-- Append-only: one row per status a touch enters, in order (id breaks ties within a transaction).
CREATE TABLE touch_history (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  touch_id bigint NOT NULL REFERENCES touches(id) ON DELETE CASCADE,
  status   text NOT NULL,
  at       timestamptz NOT NULL DEFAULT now(),
  detail   text
);
CREATE INDEX touch_history_touch_idx ON touch_history (touch_id, id);
