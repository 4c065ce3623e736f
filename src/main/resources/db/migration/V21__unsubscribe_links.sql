-- One-click unsubscribe links in marketing messages: the code names a contact and a channel.
CREATE TABLE unsubscribe_links (
  code       text PRIMARY KEY,
  contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  channel    text NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
