-- The contact list's ?q= finds a name by its beginning, case-insensitively: a range over the
-- lowered name in byte order, which this index answers (with generic plans too, unlike LIKE).
CREATE INDEX contacts_name_prefix_idx ON contacts ((lower(name)) COLLATE "C");
