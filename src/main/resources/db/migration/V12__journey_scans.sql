-- Scheduled work, journeys' scans among it: one row per run of a Quartz job, on whichever
-- instance the cluster picked, with what the run did. Operators see the last runs; the
-- two-instance test reads it to show each firing ran once.
CREATE TABLE schedule_runs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job           text NOT NULL,
  scheduled_for timestamptz NOT NULL, -- the firing this run is for (a recovered run keeps the original)
  instance      text NOT NULL,        -- the Quartz instance that ran it
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  result        jsonb,
  error         text
);
CREATE INDEX schedule_runs_job_idx ON schedule_runs (job, started_at DESC);

-- Segment-entry journeys: the segment as the last scan saw it. A contact in the segment now but
-- not in this table is newly matching and enters; one who left is removed, so a later return
-- counts as new (the journey's re-entry policy still decides). `pending` rows are members whose
-- entry has not been made yet: a scan that dies half way leaves them for the next one.
CREATE TABLE journey_segment_members (
  journey_key text NOT NULL REFERENCES journeys (key) ON DELETE CASCADE,
  contact_id  bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  joined_at   timestamptz NOT NULL DEFAULT now(),
  pending     boolean NOT NULL,
  PRIMARY KEY (journey_key, contact_id)
);
CREATE INDEX journey_segment_members_pending_idx ON journey_segment_members (journey_key) WHERE pending;

-- Which segment a journey's snapshot above is of, and when it was first taken (the baseline:
-- members at that time do not enter, unless the journey says siyu.existing = enter).
CREATE TABLE journey_segment_baselines (
  journey_key text PRIMARY KEY REFERENCES journeys (key) ON DELETE CASCADE,
  segment_id  bigint NOT NULL,
  taken_at    timestamptz NOT NULL DEFAULT now()
);
