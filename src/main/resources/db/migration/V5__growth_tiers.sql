-- Growth value and tiers. growth_value is what counts toward the tier since the last review;
-- growth_ledger keeps every entry with the event that caused it.
ALTER TABLE contacts
  ADD COLUMN growth_value integer NOT NULL DEFAULT 0 CHECK (growth_value >= 0),
  ADD COLUMN tier text NOT NULL DEFAULT '普通',
  ADD COLUMN tier_since timestamptz;
CREATE INDEX contacts_tier_idx ON contacts (tier);

CREATE TABLE growth_ledger (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  event_id   bigint REFERENCES events(id) ON DELETE SET NULL,
  event_type text NOT NULL,
  points     integer NOT NULL CHECK (points > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- one entry per event: replays and retries never add growth twice
  UNIQUE (event_id)
);
CREATE INDEX growth_ledger_contact_idx ON growth_ledger (contact_id, created_at);
