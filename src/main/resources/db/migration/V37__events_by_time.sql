-- Lists read the latest first (sort=): both event lists default to when an event happened,
-- -occurred_at, with the id breaking ties.
--
-- No index had occurred_at first, so every page of GET /events sorted the whole table: 840 ms for
-- a page at 2 million events (a parallel scan and a top-N sort). On (occurred_at, id) a page is a
-- backward scan from the cursor: 0.14 ms at 3 million. A type narrows the list through
-- events_type_time_idx and an incremental sort of the ties (0.3 ms).
--
-- A member's timeline (GET /contacts/{id}/events, /events?contact_id=) went through
-- events_contact_type_idx, whose type column comes before the time: every page sorted all of the
-- member's events, 63 ms for one with 20,000. On (contact_id, occurred_at, id) it is 0.18 ms.
--
-- New events carry an occurred_at near now, so their entries go to the right edge of both indexes.
CREATE INDEX events_time_idx ON events (occurred_at, id);
CREATE INDEX events_contact_time_idx ON events (contact_id, occurred_at, id);
