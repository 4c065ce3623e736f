-- RFM scores count a boundary level with a value as half (Rfm.score): a sole buyer, or a crowd of
-- buyers level with the top boundaries, no longer scores 1. Scores stored under the old rule may
-- sit beside unchanged boundaries, which the next run would take as "nothing to regrade"; forgetting
-- the last ranking makes that run a full pass, which rescores everyone the new rule moves.
UPDATE recompute_marks SET clock = NULL, base = NULL, r = NULL, f = NULL, m = NULL WHERE part = 'rfm';
