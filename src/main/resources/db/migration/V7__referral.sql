-- Referral (转介绍): each contact may have an invite code; a referee is linked to one referrer,
-- once, when they register with a code.
ALTER TABLE contacts
  ADD COLUMN invite_code text UNIQUE,
  ADD COLUMN referred_by bigint REFERENCES contacts(id) ON DELETE SET NULL,
  ADD COLUMN referred_at timestamptz;
CREATE INDEX contacts_referred_by_idx ON contacts (referred_by) WHERE referred_by IS NOT NULL;
