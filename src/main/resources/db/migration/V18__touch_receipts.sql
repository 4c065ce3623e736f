-- Provider receipts after a send: delivered, read, or failed (undeliverable after all). They move
-- a touch forward only (sent → delivered → read; sent → failed), so a receipt replayed or arriving
-- out of order changes nothing.
ALTER TABLE touches DROP CONSTRAINT touches_status_check;
ALTER TABLE touches ADD CONSTRAINT touches_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'dead', 'suppressed'));
ALTER TABLE touches ADD COLUMN delivered_at timestamptz;
ALTER TABLE touches ADD COLUMN read_at timestamptz;
