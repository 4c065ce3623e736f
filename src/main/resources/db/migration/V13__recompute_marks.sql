-- What the daily recompute remembers between runs, so that a day's run reads what may have
-- changed since the last one instead of every contact. One row per part; a NULL clock means the
-- part never ran, and its next run is a full pass.
CREATE TABLE recompute_marks (
  part       text PRIMARY KEY CHECK (part IN ('lifecycle', 'rfm')),
  -- the last run's now(): the time its rules were evaluated at, and the updated_at of what it wrote
  clock      timestamptz,
  -- lifecycle: contacts written from this time on may be newer than what the last run read
  since      timestamptz,
  -- lifecycle: the thresholds of the last run (mature purchases, mature spent, dormant days, churned days)
  thresholds bigint[],
  -- rfm: the buying base and the quintile boundaries the stored scores were computed from
  base       bigint,
  r          timestamptz[],
  f          integer[],
  m          numeric[]
);
INSERT INTO recompute_marks (part) VALUES ('lifecycle'), ('rfm');

-- The purchase count an RFM score was computed from (NULL: not scored). Purchases are the only
-- thing that moves recency, frequency and monetary value, so a contact whose count differs has
-- moved since it was scored; the partial index holds exactly those (normally a day's buyers).
-- Rfm.MOVED is this predicate word for word. The IS TRUE form and the statistics on it are for
-- the planner: a bare IS DISTINCT FROM is estimated like <> (nearly every row) and it would scan
-- the table for what the index answers; IS TRUE is estimated from the statistics on the inner
-- expression, so it knows how few rows match.
ALTER TABLE contacts ADD COLUMN rfm_purchases integer;
CREATE INDEX contacts_rfm_moved_idx ON contacts (id)
  WHERE (rfm_purchases IS DISTINCT FROM nullif(purchase_count, 0)) IS TRUE;
CREATE STATISTICS contacts_rfm_moved_stat ON (rfm_purchases IS DISTINCT FROM nullif(purchase_count, 0)) FROM contacts;

-- Scored contacts deleted since the last ranking. They leave the base, which can move its
-- boundaries, and no row is left to show it; the next RFM run ranks again and empties this.
CREATE TABLE rfm_departures (
  contact_id  bigint NOT NULL,
  departed_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION rfm_departure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rfm_departures (contact_id) SELECT id FROM gone WHERE rfm_class IS NOT NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER contacts_rfm_departure AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION rfm_departure();

-- The clocks of the lifecycle's time rules, exactly as LifecycleRules writes them: a daily run
-- finds the contacts that crossed the dormant or churned line since the last run by a range scan.
CREATE INDEX contacts_interaction_clock_idx ON contacts ((coalesce(last_interaction_at, first_seen_at)));
CREATE INDEX contacts_purchase_clock_idx ON contacts ((coalesce(last_purchase_at, first_seen_at)));

-- Open lots not yet announced, by expiry: the notice pass reads only the lots it announces.
CREATE INDEX points_ledger_notice_idx ON points_ledger (expires_at) WHERE remaining > 0 AND NOT expiry_noticed;

-- statistics for the new expressions now rather than at the next autovacuum
ANALYZE contacts, points_ledger;
