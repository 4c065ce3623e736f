package io.siyu.journey.check;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Siyu's condition language for the outgoing flows of a gateway: comparisons of the contact's
 * data and the A/B branch with literals, joined by and / or / not. A condition is parsed here into
 * a small tree and written out again in one canonical form; that canonical text, never the
 * uploaded one, is what the engine evaluates. Anything outside the grammar (method calls other
 * than the three string tests, other variables, functions, arithmetic) is refused.
 *
 * <pre>
 *   condition  := "${" or "}"
 *   or         := and (("||" | "or") and)*
 *   and        := unary (("&amp;&amp;" | "and") unary)*
 *   unary      := ("!" | "not") unary | "empty" reference | comparison
 *   comparison := operand (("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | eq ne lt le gt ge) operand)?
 *   operand    := literal | "(" or ")" | reference
 *   reference  := ("contact." field | "contact.attributes." key | "contact.attributes['" key "']" | "siyuBranch")
 *                 ("." ("startsWith" | "endsWith" | "contains") "(" string ")")?
 *   literal    := 'text' | "text" | number | true | false | null
 * </pre>
 */
public final class FlowCondition {
  /** The transient variable an A/B split sets to the contact's branch. */
  public static final String BRANCH = "siyuBranch";
  /** What a condition may read of the contact (the snapshot the gateway listener puts in place). */
  public static final Set<String> CONTACT_FIELDS = Set.of("id", "name", "tier", "lifecycle_stage", "rfm_class",
      "points_balance", "growth_value", "purchase_count", "total_spent", "timezone", "birthday", "tags", "attributes");
  /** The only calls: string tests on a value, and {@code contains} on the contact's tags. */
  public static final Set<String> METHODS = Set.of("startsWith", "endsWith", "contains");
  static final int MAX_LENGTH = 4_000;
  static final int MAX_DEPTH = 32;
  private static final Pattern KEY = Pattern.compile("[\\p{L}\\p{N}_\\-]{1,64}");

  /** A condition outside the language: what is wrong and where. */
  public static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  private FlowCondition() {}

  /** The canonical text of {@code text}, or {@link Invalid} saying why it is not a condition of the language. */
  public static String canonical(String text) throws Invalid {
    if (text == null || text.isBlank()) {
      throw new Invalid("the condition is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new Invalid("a condition is at most " + MAX_LENGTH + " characters");
    }
    String t = text.strip();
    if (!t.startsWith("${") || !t.endsWith("}")) {
      throw new Invalid("a condition is written ${...}, e.g. ${contact.tier == '金卡'}");
    }
    Parser p = new Parser(new Lexer(t.substring(2, t.length() - 1)).tokens());
    Node tree = p.or(0);
    p.expectEnd();
    return "${" + tree.render() + "}";
  }

  /** The condition an A/B split's flow gets: the contact's branch is {@code branch}. */
  public static String branchIs(String branch) throws Invalid {
    return canonical("${" + BRANCH + " == '" + checkedText(branch) + "'}");
  }

  /** Whether {@code name} can be an A/B branch (and so a string literal of the language). */
  public static boolean isBranchName(String name) {
    return name != null && !name.isBlank() && name.length() <= 64 && checkText(name) == null;
  }

  // ---- the tree -------------------------------------------------------------------------------

  private sealed interface Node {
    String render();
  }

  private record Literal(String canonical) implements Node {
    public String render() {
      return canonical;
    }
  }

  /** {@code contact.field}, {@code contact.attributes['key']} or {@code siyuBranch}, maybe with a string test. */
  private record Reference(String path, String method, String argument) implements Node {
    public String render() {
      return method == null ? path : path + "." + method + "('" + argument + "')";
    }
  }

  private record Not(Node operand) implements Node {
    public String render() {
      return "!(" + operand.render() + ")";
    }
  }

  private record Empty(Reference operand) implements Node {
    public String render() {
      return "empty " + operand.render();
    }
  }

  private record Binary(String op, Node left, Node right) implements Node {
    public String render() {
      return "(" + left.render() + " " + op + " " + right.render() + ")";
    }
  }

  // ---- tokens ---------------------------------------------------------------------------------

  private enum Kind { IDENT, STRING, NUMBER, OP, END }

  private record Token(Kind kind, String text, int at) {}

  private static final List<String> OPS = List.of("==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", ".", "[", "]");

  private static final class Lexer {
    private final String s;
    private int i;

    Lexer(String s) {
      this.s = s;
    }

    List<Token> tokens() throws Invalid {
      List<Token> out = new ArrayList<>();
      while (true) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        if (i >= s.length()) {
          out.add(new Token(Kind.END, "", i));
          return out;
        }
        out.add(next());
      }
    }

    private Token next() throws Invalid {
      char c = s.charAt(i);
      int start = i;
      if (Character.isLetter(c) || c == '_') {
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        return new Token(Kind.IDENT, s.substring(start, i), start);
      }
      if (Character.isDigit(c)) {
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        return new Token(Kind.NUMBER, s.substring(start, i), start);
      }
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, i + 1);
        if (end < 0) {
          throw new Invalid("a text that is not closed at position " + start);
        }
        i = end + 1;
        return new Token(Kind.STRING, s.substring(start + 1, end), start);
      }
      for (String op : OPS) {
        if (s.startsWith(op, i)) {
          i += op.length();
          return new Token(Kind.OP, op, start);
        }
      }
      throw new Invalid("'" + c + "' at position " + start + " is not part of the condition language");
    }
  }

  // ---- the parser -----------------------------------------------------------------------------

  private static final class Parser {
    private final List<Token> tokens;
    private int at;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    Node or(int depth) throws Invalid {
      Node left = and(depth);
      while (accept("||") || acceptWord("or")) {
        left = new Binary("||", left, and(depth));
      }
      return left;
    }

    private Node and(int depth) throws Invalid {
      Node left = unary(depth);
      while (accept("&&") || acceptWord("and")) {
        left = new Binary("&&", left, unary(depth));
      }
      return left;
    }

    private Node unary(int depth) throws Invalid {
      if (depth > MAX_DEPTH) {
        throw new Invalid("the condition is nested more than " + MAX_DEPTH + " deep");
      }
      if (accept("!") || acceptWord("not")) {
        return new Not(unary(depth + 1));
      }
      if (acceptWord("empty")) {
        return new Empty(reference());
      }
      return comparison(depth);
    }

    private Node comparison(int depth) throws Invalid {
      Node left = operand(depth);
      String op = comparisonOperator();
      return op == null ? left : new Binary(op, left, operand(depth));
    }

    private String comparisonOperator() {
      for (String[] op : new String[][] {{"==", "eq"}, {"!=", "ne"}, {"<=", "le"}, {">=", "ge"}, {"<", "lt"}, {">", "gt"}}) {
        if (accept(op[0]) || acceptWord(op[1])) {
          return op[0];
        }
      }
      return null;
    }

    private Node operand(int depth) throws Invalid {
      Token t = peek();
      if (accept("(")) {
        Node inner = or(depth + 1);
        expect(")");
        return inner;
      }
      switch (t.kind()) {
        case STRING -> {
          at++;
          return new Literal("'" + checkedText(t.text()) + "'");
        }
        case NUMBER -> {
          at++;
          return new Literal(number(t));
        }
        case IDENT -> {
          if (Set.of("true", "false", "null").contains(t.text())) {
            at++;
            return new Literal(t.text());
          }
          return reference();
        }
        default -> throw new Invalid("expected a value at position " + t.at() + ", found '" + t.text() + "'");
      }
    }

    private Reference reference() throws Invalid {
      Token first = peek();
      String name = word();
      String path;
      if (name.equals(BRANCH)) {
        path = BRANCH;
      } else if (name.equals("contact")) {
        expect(".");
        String field = word();
        if (!CONTACT_FIELDS.contains(field)) {
          throw new Invalid("contact." + field + " is not something a condition can read; it can read contact."
              + String.join(", contact.", new java.util.TreeSet<>(CONTACT_FIELDS)));
        }
        path = "contact." + field;
        if (field.equals("attributes")) {
          path += "['" + attributeKey() + "']";
        }
      } else {
        throw new Invalid("'" + name + "' at position " + first.at() + " is not known: a condition reads contact.… or "
            + BRANCH);
      }
      if (accept(".")) {
        Token m = peek();
        String method = word();
        if (!METHODS.contains(method)) {
          throw new Invalid("." + method + " at position " + m.at() + " is not allowed: the only tests are "
              + "startsWith, endsWith and contains");
        }
        expect("(");
        Token arg = peek();
        if (arg.kind() != Kind.STRING) {
          throw new Invalid("." + method + " takes one text in quotes, at position " + arg.at());
        }
        at++;
        expect(")");
        return new Reference(path, method, checkedText(arg.text()));
      }
      if (path.equals("contact.tags")) {
        throw new Invalid("contact.tags is tested with contact.tags.contains('group/tag') or contact.tags.contains('tag')");
      }
      return new Reference(path, null, null);
    }

    private String attributeKey() throws Invalid {
      String key;
      if (accept("[")) {
        Token k = peek();
        if (k.kind() != Kind.STRING) {
          throw new Invalid("contact.attributes[...] takes the attribute's key in quotes");
        }
        at++;
        expect("]");
        key = k.text();
      } else {
        expect(".");
        key = word();
      }
      if (!KEY.matcher(key).matches()) {
        throw new Invalid("'" + key + "' is not an attribute key (letters, digits, _ and -)");
      }
      return key;
    }

    private String number(Token t) throws Invalid {
      if (t.text().length() > 30) {
        throw new Invalid("the number at position " + t.at() + " is too long");
      }
      try {
        return new BigDecimal(t.text()).toPlainString();
      } catch (NumberFormatException e) {
        throw new Invalid("'" + t.text() + "' at position " + t.at() + " is not a number");
      }
    }

    private String word() throws Invalid {
      Token t = peek();
      if (t.kind() != Kind.IDENT) {
        throw new Invalid("expected a name at position " + t.at() + ", found '" + t.text() + "'");
      }
      at++;
      return t.text();
    }

    private Token peek() {
      return tokens.get(at);
    }

    private boolean accept(String op) {
      if (peek().kind() == Kind.OP && peek().text().equals(op)) {
        at++;
        return true;
      }
      return false;
    }

    private boolean acceptWord(String word) {
      if (peek().kind() == Kind.IDENT && peek().text().equals(word)) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(String op) throws Invalid {
      if (!accept(op)) {
        throw new Invalid("expected '" + op + "' at position " + peek().at() + ", found '" + peek().text() + "'");
      }
    }

    void expectEnd() throws Invalid {
      if (peek().kind() != Kind.END) {
        throw new Invalid("unexpected '" + peek().text() + "' at position " + peek().at());
      }
    }
  }

  private static String checkedText(String text) throws Invalid {
    String problem = checkText(text);
    if (problem != null) {
      throw new Invalid(problem);
    }
    return text;
  }

  /** Texts in quotes may not hold quotes, backslashes, braces or control characters: they are written back verbatim. */
  private static String checkText(String text) {
    if (text.length() > 200) {
      return "a text in a condition is at most 200 characters";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"' || c == '\\' || c == '{' || c == '}' || Character.isISOControl(c)) {
        return "a text in a condition may not contain quotes, \\, { } or control characters: " + text;
      }
    }
    return null;
  }
}
