-- An import's rejected line lists every bad cell, not only the first: one {"field", "reason"} per
-- cell (field null for a reason about the whole row). `reason` keeps them all in one line. Lines
-- rejected before have no list; the API answers theirs as one reason without a field.
ALTER TABLE import_rejections ADD COLUMN errors jsonb;
