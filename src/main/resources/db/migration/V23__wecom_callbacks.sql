-- The WeCom callback inbox: every decrypted callback, stored before WeCom gets its "success",
-- then handed to the handler of its Event by the processor.
--
-- WeCom retries a callback it got no answer for, encrypting the same plaintext again (new random
-- bytes, new nonce and signature), so the dedup key is a SHA-256 of the decrypted message: a
-- retry is recognised, the same event is stored and handled once.
--
-- status: pending (due at next_attempt_at; the processor claims it with a row lock held while its
-- handler runs, so a callback whose instance died is due again at once), done, or parked (its
-- attempts are used up; an admin's replay makes it pending again).
CREATE TABLE wecom_callbacks (
  id              bigserial PRIMARY KEY,
  message_hash    bytea NOT NULL,
  event           text,
  change_type     text,
  message         text NOT NULL,
  fields          jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'parked')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  note            text,
  received_at     timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  done_at         timestamptz
);
CREATE UNIQUE INDEX wecom_callbacks_message_hash_key ON wecom_callbacks (message_hash);
CREATE INDEX wecom_callbacks_due_idx ON wecom_callbacks (next_attempt_at) WHERE status = 'pending';
CREATE INDEX wecom_callbacks_parked_idx ON wecom_callbacks (id) WHERE status = 'parked';

-- Each callback is inserted and marked done within seconds: a dead row version per callback,
-- thousands a minute when a corp's contacts move. Vacuum after a fixed number of dead rows, as V15
-- does for the other queues, so the claim's index scan does not wade through them. Pages are left
-- 30 % free so that update usually stays on the row's page, where PostgreSQL logs only the changed
-- columns, not the whole message again (bench/WecomIngestBench.java: 2.0 instead of 2.7 kB of WAL
-- per callback).
ALTER TABLE wecom_callbacks SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0, fillfactor = 70);
