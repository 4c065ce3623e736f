package io.siyu.attribute;

import java.util.List;

/**
 * A declared custom attribute: contacts may only carry attributes that are declared, and their
 * values must fit the type (and, for {@link AttributeType#ENUM}, one of {@code enumValues}).
 */
public record AttributeDefinition(String key, AttributeType type, List<String> enumValues, String description) {}
