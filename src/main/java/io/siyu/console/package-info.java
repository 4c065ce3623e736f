/**
 * The web console's files, served at {@code /console/}: the single-page app the build makes from
 * {@code web/console} (Vite) and puts on the class path, with its caching, compression and security
 * headers. The console talks to Siyu only through the public {@code /api/v1} API.
 */
package io.siyu.console;
