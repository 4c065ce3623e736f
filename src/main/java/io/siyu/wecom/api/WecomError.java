package io.siyu.wecom.api;

/** A WeCom answer with a non-zero {@code errcode}, where a call cannot go on (so far: {@code gettoken}). */
final class WecomError extends RuntimeException {
  private final String api;
  private final int errcode;
  private final String errmsg;

  WecomError(String api, int errcode, String errmsg) {
    super(api + ": errcode " + errcode + " " + errmsg, null, false, false);
    this.api = api;
    this.errcode = errcode;
    this.errmsg = errmsg;
  }

  String api() {
    return api;
  }

  int errcode() {
    return errcode;
  }

  String errmsg() {
    return errmsg;
  }
}
