-- People who sign in to the console (machines keep API tokens). The email is unique whatever its
-- case; the password is an Argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash), which carries
-- its own parameters, so stronger ones can come later without a migration.
CREATE TABLE users (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email            text        NOT NULL,
  display_name     text        NOT NULL,
  role             text        NOT NULL CHECK (role IN ('admin', 'operator', 'manager', 'integration')),
  password_hash    text        NOT NULL,
  disabled         boolean     NOT NULL DEFAULT false,
  bootstrap        boolean     NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at  timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- A signed-in person's session. The cookie holds 256 random bits; only their SHA-256 is kept, so
-- a copy of this table opens no session. Idle and absolute expiry are worked out from the two times
-- when the session is read (the limits are settings), and last_seen_at moves at most once a minute.
CREATE TABLE user_sessions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash    bytea       NOT NULL UNIQUE,
  csrf_token    text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- Failed sign-ins, counted per email (whether or not a user has it) and per client address, so
-- every instance sees the same count: `failures` within the window that began at `window_start`;
-- reaching the limit locks the key until `locked_until`, each lock twice as long as the one before
-- (`locks`), which start again from the first after a quiet day.
CREATE TABLE sign_in_throttles (
  scope          text        NOT NULL CHECK (scope IN ('email', 'address')),
  key            text        NOT NULL,
  failures       integer     NOT NULL,
  window_start   timestamptz NOT NULL,
  locks          integer     NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  last_failure_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);

-- A token made by a person names that person (tokens made with a token keep created_by).
ALTER TABLE api_tokens ADD COLUMN created_by_user bigint REFERENCES users (id) ON DELETE SET NULL;
