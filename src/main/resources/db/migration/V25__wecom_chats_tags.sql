-- WeCom customer group chats (客户群) with their members and a log of every change, WeCom's ids on
-- the tag groups and tags that mirror its corp tags, and the queue of tag changes to push back.

CREATE TABLE group_chats (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chat_id        text NOT NULL UNIQUE,
  name           text,
  owner_userid   text,
  notice         text,
  -- WeCom's create_time; null until the chat is read from the API
  created_at     timestamptz,
  dismissed_at   timestamptz,
  member_count   integer NOT NULL DEFAULT 0,
  -- WeCom's member_version (CurMemVer): equal versions mean the same member list
  member_version text,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX group_chats_owner_idx ON group_chats (owner_userid, id);

-- One row per chat and WeCom userid: a member who leaves keeps the row (left_at), one who comes back
-- gets it again. member_type is null while only a callback named the member (it does not say which
-- kind); the contact is the one whose external_userid is this userid, looked up when read.
CREATE TABLE group_chat_members (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chat_id        text NOT NULL REFERENCES group_chats (chat_id) ON DELETE CASCADE,
  userid         text NOT NULL,
  member_type    text CHECK (member_type IN ('staff', 'external')),
  unionid        text,
  name           text,
  group_nickname text,
  joined_at      timestamptz,
  join_scene     text,
  invitor        text,
  left_at        timestamptz,
  quit_scene     text,
  UNIQUE (chat_id, userid)
);
-- "which chats is this contact in"
CREATE INDEX group_chat_members_userid_idx ON group_chat_members (userid) WHERE left_at IS NULL;

-- One row per applied callback (callback_id unique: a callback seen again changes nothing), with the
-- members it actually moved and the chat's size after it: the source of the per-day statistics.
-- events holds the member events it owes, sent again as they are when the callback is seen again.
CREATE TABLE group_chat_changes (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  callback_id  bigint NOT NULL UNIQUE,
  chat_id      text NOT NULL REFERENCES group_chats (chat_id) ON DELETE CASCADE,
  change       text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  joins        integer NOT NULL DEFAULT 0,
  leaves       integer NOT NULL DEFAULT 0,
  member_count integer NOT NULL DEFAULT 0,
  fetched      boolean NOT NULL DEFAULT false,
  events       jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX group_chat_changes_chat_idx ON group_chat_changes (chat_id, occurred_at);

-- WeCom's corp tags mirrored: their ids and WeCom's order (a larger order sorts first).
ALTER TABLE tag_groups ADD COLUMN wecom_group_id text UNIQUE, ADD COLUMN wecom_order bigint;
ALTER TABLE tags ADD COLUMN wecom_tag_id text UNIQUE, ADD COLUMN wecom_order bigint;

-- The last tag change Siyu owes WeCom per contact and mirrored tag (add or remove), sent by
-- mark_tag. A newer change replaces the action and bumps the revision, so a send in flight that
-- finishes after it leaves the row pending instead of done.
CREATE TABLE wecom_tag_pushes (
  contact_id      bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  -- a mirrored tag deleted from Siyu drops what was still owed for it
  tag_id          bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  action          text NOT NULL CHECK (action IN ('add', 'remove')),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'failed')),
  revision        bigint NOT NULL DEFAULT 1,
  attempts        integer NOT NULL DEFAULT 0,
  -- when pending: the next try; when sending: the end of the lease, after which it is tried again
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  changed_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  PRIMARY KEY (contact_id, tag_id)
);
CREATE INDEX wecom_tag_pushes_due_idx ON wecom_tag_pushes (next_attempt_at) WHERE status IN ('pending', 'sending');

-- Every tag change is a tag_changes row (TagService writes both in one statement, on the Vert.x
-- pool or inside a journey step's JDBC transaction): a change to a mirrored tag on a WeCom customer
-- is owed to WeCom from the same transaction. Changes whose actor starts with "wecom" came from
-- WeCom itself and are not sent back.
CREATE FUNCTION wecom_tag_push_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO wecom_tag_pushes AS p (contact_id, tag_id, action)
  SELECT DISTINCT ON (n.contact_id, n.tag_id) n.contact_id, n.tag_id,
         CASE n.action WHEN 'added' THEN 'add' ELSE 'remove' END
  FROM new_changes n
  JOIN tags t ON t.id = n.tag_id AND t.wecom_tag_id IS NOT NULL
  JOIN contacts c ON c.id = n.contact_id AND c.external_userid IS NOT NULL
  WHERE n.actor NOT LIKE 'wecom%'
  ORDER BY n.contact_id, n.tag_id, n.id DESC
  ON CONFLICT (contact_id, tag_id) DO UPDATE SET
    action = EXCLUDED.action,
    revision = p.revision + 1,
    status = CASE WHEN p.status = 'sending' THEN 'sending' ELSE 'pending' END,
    attempts = CASE WHEN p.status = 'sending' THEN p.attempts ELSE 0 END,
    next_attempt_at = CASE WHEN p.status = 'sending' THEN p.next_attempt_at ELSE now() END,
    last_error = NULL,
    changed_at = now();
  RETURN NULL;
END $$;

CREATE TRIGGER tag_changes_to_wecom AFTER INSERT ON tag_changes
  REFERENCING NEW TABLE AS new_changes FOR EACH STATEMENT EXECUTE FUNCTION wecom_tag_push_capture();
