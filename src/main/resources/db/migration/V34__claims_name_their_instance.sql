-- A claim names the instance that made it. A Siyu killed mid-send leaves its claims leased until
-- their lease ends (five minutes by default), while a WeCom welcome code lives twenty seconds: the
-- same instance, started again, frees the claims it left at once (its id is stable across restarts,
-- see the README's SIYU_INSTANCE_ID). Other instances' claims keep their lease. Not indexed: the
-- claim writes it with every lease (a heap-only update), and it is only searched at a start.
ALTER TABLE touch_queue ADD COLUMN claimed_by uuid;
