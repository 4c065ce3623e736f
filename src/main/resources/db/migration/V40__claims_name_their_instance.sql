-- A claim names the instance that made it. A Siyu killed mid-send leaves its claims leased until
-- their lease ends (five minutes by default), while a WeCom welcome code lives twenty seconds: the
-- same instance, started again, frees the claims it left at once (its id is stable across restarts,
-- see the README's SIYU_INSTANCE_ID). Other instances' claims keep their lease.
--
-- A 64-bit key of the instance's id (the UUID's halves XORed; Siyu logs it at start), not the UUID:
-- a claim writes a new version of every place of a page at once, and the page keeps room (V33) for
-- the new versions beside the old ones; 16 bytes more per version no longer fit. Not indexed, so the
-- claim stays a heap-only update; it is searched only when an instance starts.
ALTER TABLE touch_queue ADD COLUMN claimed_by bigint;
