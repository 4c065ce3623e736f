package io.siyu.segment;

import io.siyu.segment.Condition.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The contact columns a filter may compare, with their types. The enum is the whitelist: a
 * field name reaches SQL only as one of these constants' column names.
 */
enum ContactColumn {
  NAME(ValueType.TEXT), TIMEZONE(ValueType.TEXT), OWNER_STAFF_ID(ValueType.TEXT), SOURCE(ValueType.TEXT),
  EXTERNAL_USERID(ValueType.TEXT), UNIONID(ValueType.TEXT), OPENID(ValueType.TEXT), MOBILE(ValueType.TEXT),
  EMAIL(ValueType.TEXT),
  GENDER(ValueType.ENUM, "male", "female", "unknown"),
  LIFECYCLE_STAGE(ValueType.ENUM, "new", "growing", "mature", "dormant", "churned"),
  RFM_CLASS(ValueType.ENUM, "重要价值", "重要发展", "重要保持", "重要挽留", "一般价值", "一般发展", "一般保持", "一般挽留"),
  BIRTHDAY(ValueType.DATE),
  FIRST_SEEN_AT(ValueType.TIMESTAMP), LAST_INTERACTION_AT(ValueType.TIMESTAMP), LAST_PURCHASE_AT(ValueType.TIMESTAMP),
  CREATED_AT(ValueType.TIMESTAMP), UPDATED_AT(ValueType.TIMESTAMP),
  TIER(ValueType.TEXT),
  PURCHASE_COUNT(ValueType.INTEGER), TOTAL_SPENT(ValueType.NUMBER), POINTS_BALANCE(ValueType.INTEGER),
  GROWTH_VALUE(ValueType.INTEGER);

  private final ValueType type;
  private final List<String> allowed;

  ContactColumn(ValueType type, String... allowed) {
    this.type = type;
    this.allowed = List.of(allowed);
  }

  String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  ValueType type() {
    return type;
  }

  List<String> allowed() {
    return allowed;
  }

  static ContactColumn named(Object name) {
    return Arrays.stream(values()).filter(f -> f.column().equals(name)).findFirst().orElse(null);
  }

  static List<String> names() {
    return Arrays.stream(values()).map(ContactColumn::column).toList();
  }
}
