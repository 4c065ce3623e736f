package io.siyu.support;

import io.siyu.app.Siyu;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A person at the console, as a browser would be: signs in, keeps the {@code siyu_session} cookie
 * the server set and the session's CSRF token, and sends both with every request (the token only
 * with changes, as the console does). Requests go out through {@link Api#send}, so they are held to
 * the contract like every other.
 */
public final class Person {
  private final Api api;
  /** Extra headers of every request (an {@code X-Forwarded-For} to be counted as another address). */
  private final MultiMap always = MultiMap.caseInsensitiveMultiMap();
  private String cookie;
  private String csrf;

  public Person(Siyu siyu) {
    this.api = TestSiyu.as(siyu, null);
  }

  /** A person at the shared test server. */
  public static Person ofTestServer() {
    return new Person(TestSiyu.get());
  }

  /** The same person as seen from {@code address} (through a proxy on loopback that says so). */
  public Person from(String address) {
    always.set("X-Forwarded-For", address);
    return this;
  }

  /** Signs in; on a 201 keeps the cookie and the CSRF token. */
  public Api.Reply signIn(String email, String password) {
    Api.Reply r = send(HttpMethod.POST, "/api/v1/sessions", new JsonObject().put("email", email).put("password", password),
        false);
    if (r.status() == 201) {
      cookie = Cookies.value(r, "siyu_session");
      csrf = r.json().getString("csrf_token");
    }
    return r;
  }

  /** Signs in and fails the test unless it worked. */
  public Person signedIn(String email, String password) {
    Api.Reply r = signIn(email, password);
    if (r.status() != 201) {
      throw new AssertionError("sign-in failed: " + r);
    }
    return this;
  }

  public Api.Reply get(String path) {
    return send(HttpMethod.GET, path, null, false);
  }

  public Api.Reply post(String path, Object json) {
    return send(HttpMethod.POST, path, json, true);
  }

  public Api.Reply patch(String path, Object json) {
    return send(HttpMethod.PATCH, path, json, true);
  }

  public Api.Reply delete(String path) {
    return send(HttpMethod.DELETE, path, null, true);
  }

  /** A request with the cookie and, when {@code withCsrf}, the session's token. */
  public Api.Reply send(HttpMethod method, String path, Object json, boolean withCsrf) {
    return send(method, path, json, withCsrf ? csrf : null);
  }

  /** A request with the cookie and {@code csrfToken} as {@code X-CSRF-Token} (null: none). */
  public Api.Reply send(HttpMethod method, String path, Object json, String csrfToken) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(always);
    if (cookie != null) {
      headers.set("Cookie", "siyu_session=" + cookie);
    }
    if (csrfToken != null) {
      headers.set("X-CSRF-Token", csrfToken);
    }
    return api.send(method, path, json == null ? null : "application/json",
        json == null ? null : Buffer.buffer(Json.encode(json)), headers);
  }

  public String cookie() {
    return cookie;
  }

  public String csrf() {
    return csrf;
  }

  /** Another browser holding the same cookie and token (a stolen or shared session). */
  public Person copy(Siyu siyu) {
    Person b = new Person(siyu);
    b.cookie = cookie;
    b.csrf = csrf;
    b.always.addAll(always);
    return b;
  }

  /** Reading {@code Set-Cookie} answers. */
  public static final class Cookies {
    private Cookies() {}

    /** The value {@code name} is set to in the answer, or null when it sets none. */
    public static String value(Api.Reply r, String name) {
      String header = header(r, name);
      if (header == null) {
        return null;
      }
      String pair = header.split(";", 2)[0];
      return pair.substring(pair.indexOf('=') + 1);
    }

    /** The whole {@code Set-Cookie} line for {@code name}, attributes included, or null. */
    public static String header(Api.Reply r, String name) {
      for (String h : r.headers().getAll("Set-Cookie")) {
        if (h.startsWith(name + "=")) {
          return h;
        }
      }
      return null;
    }
  }
}
