-- Journeys already deployed are checked again at every start against the allow-list of what a
-- journey may hold. A version that fails is suspended in the engine (with its instances); when it
-- is the journey's latest, the journey is 'suspended' (no new entries, and it cannot be activated:
-- a corrected file deployed as a new version makes it active again). What was refused is kept.
ALTER TABLE journeys DROP CONSTRAINT journeys_status_check;
ALTER TABLE journeys ADD CONSTRAINT journeys_status_check CHECK (status IN ('active', 'paused', 'suspended'));
-- [{"version": 2, "refused_at": "...", "problems": [{"element": "...", "problem": "..."}]}, ...]
ALTER TABLE journeys ADD COLUMN refused jsonb NOT NULL DEFAULT '[]';
