-- The sending policy the dispatcher applies before a touch goes out (consent, channel fallback,
-- quiet hours, frequency caps, provider rate limits), recorded on the touch.

-- marketing touches are capped and kept out of quiet hours; transactional ones are not
ALTER TABLE touches ADD COLUMN kind text NOT NULL DEFAULT 'marketing' CHECK (kind IN ('marketing', 'transactional'));
UPDATE touches SET kind = 'transactional' WHERE payload ->> 'kind' = 'transactional';
-- the channel the journey asked for ("preferred" included); channel is the one the touch went out on
ALTER TABLE touches ADD COLUMN requested_channel text;
UPDATE touches SET requested_channel = channel;
ALTER TABLE touches ADD COLUMN sent_at timestamptz;

-- Marketing touches sent per contact and local day: a cap is reserved here before the send
-- (one row per contact and day, so two instances sending to one contact queue on its row) and
-- given back when the send does not go through.
CREATE TABLE contact_send_days (
  contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  day        date NOT NULL,
  sent       integer NOT NULL CHECK (sent >= 0),
  PRIMARY KEY (contact_id, day)
);

-- Sends started per channel and second, shared by every instance: a provider's rate limit
-- holds however many instances send.
CREATE TABLE channel_rate_windows (
  channel text NOT NULL,
  second  bigint NOT NULL,
  used    integer NOT NULL,
  PRIMARY KEY (channel, second)
);
ALTER TABLE channel_rate_windows SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
