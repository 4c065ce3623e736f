-- Points: an append-only ledger. Earn entries are lots that are consumed first-in first-out and
-- expire; spend and expire entries record what left. The balance kept on the contact is changed
-- in the same transaction as the ledger, and can never go negative.

ALTER TABLE contacts ADD COLUMN points_balance integer NOT NULL DEFAULT 0 CHECK (points_balance >= 0);

CREATE TABLE points_ledger (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id      bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('earn', 'spend', 'expire')),
  points          integer NOT NULL CHECK ((kind = 'earn') = (points > 0)),
  -- for earn lots: how many of its points are still unspent and unexpired
  remaining       integer NOT NULL DEFAULT 0 CHECK (remaining >= 0 AND remaining <= greatest(points, 0)),
  expires_at      timestamptz,
  expiry_noticed  boolean NOT NULL DEFAULT false,
  reason          text NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  actor           text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_ledger_contact_idx ON points_ledger (contact_id, id);
-- the open lots, in the order they are consumed and expire
CREATE INDEX points_ledger_open_lots_idx ON points_ledger (contact_id, expires_at, id) WHERE remaining > 0;
CREATE INDEX points_ledger_expiry_idx ON points_ledger (expires_at) WHERE remaining > 0;
