-- The language a contact reads: templates render in it unless a touch names its own locale.
-- NULL means the brand's default (templates fall back to zh-CN).
ALTER TABLE contacts ADD COLUMN locale text;
