-- WeCom customer contact (客户联系): channel QR codes (渠道活码), which staff member has which
-- customer (the follow relation), the customers' WeCom profiles, and every change WeCom reported.

-- A 「联系我」 QR code Siyu made through add_contact_way. Its state (Siyu's, unique, at most 30
-- characters as WeCom allows) comes back with every add through the code. A retired code is kept:
-- the customers it brought still point at it. 'creating' is the moment between reserving the state
-- and WeCom's answer; a code whose creation failed is deleted again.
CREATE TABLE wecom_channel_codes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  state         text NOT NULL UNIQUE CHECK (length(state) <= 30),
  staff_userids text[] NOT NULL CHECK (cardinality(staff_userids) >= 1),
  journey_key   text,
  skip_verify   boolean NOT NULL,
  config_id     text UNIQUE,
  qr_code       text,
  status        text NOT NULL DEFAULT 'creating' CHECK (status IN ('creating', 'active', 'retired')),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  retired_at    timestamptz
);
CREATE INDEX wecom_channel_codes_status_idx ON wecom_channel_codes (status, id);

-- The tags a contact added through the code gets.
CREATE TABLE wecom_channel_code_tags (
  code_id bigint NOT NULL REFERENCES wecom_channel_codes (id) ON DELETE CASCADE,
  tag_id  bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (code_id, tag_id)
);

-- One row per customer and staff member: 'half' (the customer added a staff member who has not
-- accepted yet), 'active', 'deleted' (by the staff member or by the customer), or
-- 'transfer_failed' (the customer was to be handed to this staff member, and was not). A customer
-- who adds the same staff member again reopens the row: added_at is when the current relation began.
CREATE TABLE wecom_follows (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id           bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  staff_userid         text NOT NULL,
  status               text NOT NULL CHECK (status IN ('half', 'active', 'deleted', 'transfer_failed')),
  state                text,
  channel_code_id      bigint REFERENCES wecom_channel_codes (id),
  add_way              integer,
  remark               text,
  description          text,
  added_at             timestamptz,
  deleted_at           timestamptz,
  deleted_by           text CHECK (deleted_by IN ('staff', 'customer')),
  delete_source        text,
  transfer_failed_at   timestamptz,
  transfer_fail_reason text,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (contact_id, staff_userid)
);
CREATE INDEX wecom_follows_staff_idx ON wecom_follows (staff_userid, status);
CREATE INDEX wecom_follows_code_idx ON wecom_follows (channel_code_id, status) WHERE channel_code_id IS NOT NULL;

-- What externalcontact/get last said about the customer, beyond the contact's own columns.
CREATE TABLE wecom_external_profiles (
  contact_id      bigint PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
  external_userid text NOT NULL,
  name            text,
  avatar          text,
  type            integer,
  gender          integer,
  unionid         text,
  corp_name       text,
  corp_full_name  text,
  position        text,
  fetched_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per change_external_contact callback handled, keyed by the callback inbox's id: a
-- callback seen again finds its row and changes nothing, and re-emits the member event kept here
-- (which event ingestion deduplicates) until completed_at says every step after the relation's
-- change (profile, tags, event, journey) is done. effect is what it did to the relation; the
-- per-code statistics count 'added' and 'deleted_by_*' rows by day.
CREATE TABLE wecom_contact_changes (
  callback_id     bigint PRIMARY KEY,
  contact_id      bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  staff_userid    text NOT NULL,
  change_type     text NOT NULL,
  effect          text CHECK (effect IN ('added', 'confirmed', 'repeated', 'edited', 'deleted_by_staff',
                    'deleted_by_customer', 'already_gone', 'transfer_failed')),
  channel_code_id bigint REFERENCES wecom_channel_codes (id),
  occurred_at     timestamptz NOT NULL,
  event           jsonb,
  handled_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz
);
CREATE INDEX wecom_contact_changes_code_idx ON wecom_contact_changes (channel_code_id, occurred_at)
  WHERE channel_code_id IS NOT NULL;
