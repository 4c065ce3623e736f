package io.siyu.contact;

/**
 * What a contact gets when its input does not say: the country code of a mobile written without
 * one ({@code SIYU_DEFAULT_COUNTRY_CODE}) and the time zone ({@code SIYU_DEFAULT_TIMEZONE}).
 * Contacts, events (which may create contacts) and imports read the same two.
 */
public record ContactDefaults(String countryCode, String timezone) {}
