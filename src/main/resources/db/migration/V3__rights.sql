-- Rights (权益): a catalogue of coupons, gifts, services and privileges, and their grants to contacts.

CREATE TABLE rights (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the name journeys and grants use; it never changes once created
  code          text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  name          text NOT NULL,
  type          text NOT NULL CHECK (type IN ('coupon', 'gift', 'service', 'privilege')),
  value         numeric(14, 2) CHECK (value >= 0),
  validity_days integer NOT NULL CHECK (validity_days BETWEEN 1 AND 3650),
  -- tiers allowed to receive it (null: every tier); stored now, enforced when tiers arrive
  tiers         text[],
  -- grants left (null: unlimited); the CHECK is the last line against overselling
  stock         integer CHECK (stock >= 0),
  description   text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  retired_at    timestamptz
);

CREATE TABLE right_grants (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  right_code  text NOT NULL REFERENCES rights(code),
  state       text NOT NULL DEFAULT 'granted' CHECK (state IN ('granted', 'redeemed', 'expired')),
  granted_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  redeemed_at timestamptz,
  reason      text,
  -- the caller's idempotency key: a retried grant finds the first one instead of granting twice
  grant_key   text NOT NULL UNIQUE,
  granted_by  text NOT NULL
);
-- a contact's grants, newest first
CREATE INDEX right_grants_contact_idx ON right_grants (contact_id, id);
-- the expiry step scans only grants still open
CREATE INDEX right_grants_open_idx ON right_grants (expires_at) WHERE state = 'granted';

INSERT INTO rights (code, name, type, value, validity_days, description) VALUES
  ('new_member_pack', '新人大礼包', 'gift', NULL, 30, 'Welcome pack for a new member'),
  ('birthday', '生日权益', 'coupon', 50, 30, 'Birthday coupon worth 50 yuan');
