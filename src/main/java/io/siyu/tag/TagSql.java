package io.siyu.tag;

/**
 * Every statement of tags, tag groups and tagging. A tag and a group read as their JSON (through
 * {@link io.siyu.db.RowJson}): the column lists are in its order. Each change to a contact's tags
 * is one statement that also writes the history rows, so the history never disagrees with the tags.
 */
final class TagSql {
  private TagSql() {}

  static final String GROUP_COLUMNS = "id, name, created_at";
  static final String TAG_COLUMNS = "t.id, t.group_id, g.name AS \"group\", t.name, t.created_at";

  static final String INSERT_GROUP = "INSERT INTO tag_groups (name) VALUES ($1) RETURNING " + GROUP_COLUMNS;
  /** Followed by the page's conditions and order. */
  static final String GROUPS_WHERE = "SELECT g.id, g.name, g.created_at, "
      + "(SELECT count(*) FROM tags t WHERE t.group_id = g.id) AS tag_count "
      + "FROM tag_groups g WHERE ";
  static final String GROUP = "SELECT " + GROUP_COLUMNS + " FROM tag_groups WHERE id = $1";
  static final String TAGS_OF_GROUP = "SELECT " + TAG_COLUMNS + " FROM tags t JOIN tag_groups g ON g.id = t.group_id "
      + "WHERE t.group_id = $1 ORDER BY t.id";
  static final String RENAME_GROUP = "UPDATE tag_groups SET name = $2 WHERE id = $1 RETURNING " + GROUP_COLUMNS;
  /** Only an empty group may go: deleting tags in passing would be too easy to do by mistake. */
  static final String DELETE_EMPTY_GROUP = "DELETE FROM tag_groups g WHERE g.id = $1 "
      + "AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.group_id = g.id) RETURNING id";

  static final String INSERT_TAG = "INSERT INTO tags (group_id, name) SELECT id, $2 FROM tag_groups WHERE id = $1 "
      + "RETURNING id";
  static final String TAG = "SELECT " + TAG_COLUMNS + ", (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) "
      + "AS contact_count FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE t.id = $1";
  /** Followed by the page's conditions (and the group's) and order. */
  static final String TAGS_WHERE = "SELECT " + TAG_COLUMNS + " FROM tags t JOIN tag_groups g ON g.id = t.group_id "
      + "WHERE ";
  static final String RENAME_TAG = "UPDATE tags SET name = $2 WHERE id = $1 RETURNING id";
  static final String DELETE_TAG = "DELETE FROM tags WHERE id = $1 RETURNING id";
  /** The id of the tag, the tag and its group made if missing (journeys name tags by name). */
  static final String ENSURE = "WITH g AS (INSERT INTO tag_groups (name) VALUES ($1) "
      + "  ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id), "
      + "t AS (INSERT INTO tags (group_id, name) SELECT id, $2 FROM g "
      + "  ON CONFLICT (group_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id) "
      + "SELECT id FROM t";
  static final String ID_BY_NAME = "SELECT t.id FROM tags t JOIN tag_groups g ON g.id = t.group_id "
      + "WHERE g.name = $1 AND t.name = $2";

  /** Adds the tag to the contacts the {@code %s} condition selects and records who did it. */
  static final String ADD = "WITH target AS (SELECT c.id FROM contacts c WHERE %s), "
      + "added AS (INSERT INTO contact_tags (contact_id, tag_id, tagged_by) SELECT id, $1, $2 FROM target "
      + "  ON CONFLICT DO NOTHING RETURNING contact_id), "
      + "logged AS (INSERT INTO tag_changes (contact_id, tag_id, tag_name, action, actor) "
      + "  SELECT contact_id, $1, (SELECT name FROM tags WHERE id = $1), 'added', $2 FROM added) "
      + "SELECT (SELECT count(*) FROM target) AS matched, (SELECT count(*) FROM added) AS changed";

  static final String REMOVE = "WITH target AS (SELECT c.id FROM contacts c WHERE %s), "
      + "removed AS (DELETE FROM contact_tags ct USING target WHERE ct.contact_id = target.id AND ct.tag_id = $1 "
      + "  RETURNING ct.contact_id), "
      + "logged AS (INSERT INTO tag_changes (contact_id, tag_id, tag_name, action, actor) "
      + "  SELECT contact_id, $1, (SELECT name FROM tags WHERE id = $1), 'removed', $2 FROM removed) "
      + "SELECT (SELECT count(*) FROM target) AS matched, (SELECT count(*) FROM removed) AS changed";

  /** ADD and REMOVE for one contact ($3), the same text on the Vert.x pool and inside a journey step's JDBC transaction. */
  static final String ADD_ONE = String.format(ADD, "c.id = $3");
  static final String REMOVE_ONE = String.format(REMOVE, "c.id = $3");
  /** REMOVE from every contact that has the tag, before the tag goes. */
  static final String REMOVE_FROM_ALL = String.format(REMOVE,
      "EXISTS (SELECT 1 FROM contact_tags x WHERE x.contact_id = c.id AND x.tag_id = $1)");

  static final String OF_CONTACT = "SELECT " + TAG_COLUMNS + ", ct.tagged_at, ct.tagged_by FROM contact_tags ct "
      + "JOIN tags t ON t.id = ct.tag_id JOIN tag_groups g ON g.id = t.group_id "
      + "WHERE ct.contact_id = $1 ORDER BY g.name, t.name";
  /** Followed by the page's conditions and order. */
  static final String HISTORY_WHERE = "SELECT id, tag_id, tag_name, action, actor, changed_at FROM tag_changes "
      + "WHERE contact_id = $1 AND ";
}
