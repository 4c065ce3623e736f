-- No query filters or joins on a touch's payload: the API, the dispatcher and the funnel find
-- touches by id, key, contact, journey and status, and read the payload only to send it. Its
-- statistics were still gathered at every automatic ANALYZE of `touches` (each day's sends change
-- more than a tenth of a young table), and sorting 30,000 sampled jsonb documents to find the
-- common ones was 40 % of that ANALYZE: a third of a second of the database's CPU for each
-- 100,000 touches sent, spent while the dispatcher was sending them.
ALTER TABLE touches ALTER COLUMN payload SET STATISTICS 0;
