-- Siyu foundation schema: tokens, contacts, attribute definitions, tags, segments, events, imports.

CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text        NOT NULL,
  role         text        NOT NULL CHECK (role IN ('admin', 'operator', 'manager', 'integration')),
  token_hash   bytea       NOT NULL UNIQUE,
  token_prefix text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   bigint REFERENCES api_tokens(id),
  revoked_at   timestamptz,
  last_used_at timestamptz
);

CREATE TABLE attribute_definitions (
  key         text PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('string', 'number', 'integer', 'boolean', 'date', 'enum')),
  enum_values text[],
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contacts (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_userid     text,
  unionid             text,
  openid              text,
  mobile              text,
  email               text,
  name                text,
  gender              text NOT NULL DEFAULT 'unknown' CHECK (gender IN ('male', 'female', 'unknown')),
  birthday            date,
  -- kept beside the date so "birthday is 29 February" and "born in March" are index lookups
  birth_month         smallint GENERATED ALWAYS AS (extract(month FROM birthday)::smallint) STORED,
  birth_day           smallint GENERATED ALWAYS AS (extract(day FROM birthday)::smallint) STORED,
  timezone            text NOT NULL DEFAULT 'Asia/Shanghai',
  owner_staff_id      text,
  source              text,
  consent             jsonb NOT NULL DEFAULT '{}',
  attributes          jsonb NOT NULL DEFAULT '{}',
  lifecycle_stage     text NOT NULL DEFAULT 'new'
                      CHECK (lifecycle_stage IN ('new', 'growing', 'mature', 'dormant', 'churned')),
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  last_interaction_at timestamptz,
  last_purchase_at    timestamptz,
  purchase_count      integer NOT NULL DEFAULT 0,
  total_spent         numeric(14, 2) NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- one contact per identity: these make "upsert by any identity" safe under concurrency
CREATE UNIQUE INDEX contacts_external_userid_key ON contacts (external_userid) WHERE external_userid IS NOT NULL;
CREATE UNIQUE INDEX contacts_unionid_key ON contacts (unionid) WHERE unionid IS NOT NULL;
CREATE UNIQUE INDEX contacts_openid_key ON contacts (openid) WHERE openid IS NOT NULL;
CREATE UNIQUE INDEX contacts_mobile_key ON contacts (mobile) WHERE mobile IS NOT NULL;
CREATE UNIQUE INDEX contacts_email_key ON contacts (email) WHERE email IS NOT NULL;
CREATE INDEX contacts_lifecycle_idx ON contacts (lifecycle_stage, id);
CREATE INDEX contacts_birthday_idx ON contacts (birth_month, birth_day) WHERE birthday IS NOT NULL;
CREATE INDEX contacts_updated_at_idx ON contacts (updated_at, id);

CREATE TABLE tag_groups (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tags (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  group_id   bigint NOT NULL REFERENCES tag_groups(id) ON DELETE CASCADE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (group_id, name)
);

CREATE TABLE contact_tags (
  contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  tag_id     bigint NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  tagged_at  timestamptz NOT NULL DEFAULT now(),
  tagged_by  text NOT NULL,
  PRIMARY KEY (contact_id, tag_id)
);
-- "who has this tag" is the question segments ask
CREATE INDEX contact_tags_tag_idx ON contact_tags (tag_id, contact_id);

-- every tag change, kept for the contact's history even after the tag is gone
CREATE TABLE tag_changes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  tag_id     bigint,
  tag_name   text NOT NULL,
  action     text NOT NULL CHECK (action IN ('added', 'removed')),
  actor      text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tag_changes_contact_idx ON tag_changes (contact_id, id);

CREATE TABLE segments (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  description text,
  filter      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_key   text NOT NULL UNIQUE,
  contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  type        text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  amount      numeric(14, 2),
  properties  jsonb NOT NULL DEFAULT '{}',
  source      text
);
CREATE INDEX events_contact_type_idx ON events (contact_id, type, occurred_at);
CREATE INDEX events_type_time_idx ON events (type, occurred_at);

CREATE TABLE imports (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  format        text NOT NULL CHECK (format IN ('csv', 'ndjson')),
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  file_path     text NOT NULL,
  file_bytes    bigint NOT NULL,
  total_rows    bigint,
  rows_done     bigint NOT NULL DEFAULT 0,
  rows_inserted bigint NOT NULL DEFAULT 0,
  rows_updated  bigint NOT NULL DEFAULT 0,
  rows_rejected bigint NOT NULL DEFAULT 0,
  error         text,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz
);

CREATE TABLE import_rejections (
  import_id bigint NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  line_no   bigint NOT NULL,
  reason    text NOT NULL,
  PRIMARY KEY (import_id, line_no)
);
