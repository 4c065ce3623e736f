-- The bootstrap admin token (SIYU_ADMIN_TOKEN, or the one the first start generated) is marked, so
-- a new value of the variable can revoke the one before it; a revoked one is never revived.
ALTER TABLE api_tokens ADD COLUMN bootstrap boolean NOT NULL DEFAULT false;

-- Until now the bootstrap token was the one named so without a creator (API tokens always have one).
UPDATE api_tokens SET bootstrap = true WHERE name = 'bootstrap' AND created_by IS NULL;

-- The prefix kept up to 11 characters: the whole of a short configured token. Keep the siyu_ marker
-- and four characters of Siyu's own 48-character tokens; none of a bootstrap token (a configured one
-- cannot be told from a generated one here).
ALTER TABLE api_tokens ALTER COLUMN token_prefix DROP NOT NULL;
UPDATE api_tokens
   SET token_prefix = CASE WHEN NOT bootstrap AND token_prefix ~ '^siyu_[A-Za-z0-9_-]{6}$'
                           THEN left(token_prefix, 9) END;
