package io.siyu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md names every variable the code reads, and only those: a variable is read by
 * its name written whole as a string ({@code env.string("SIYU_HTTP_PORT")}), and the document lists
 * each in the first column of a table.
 */
class ConfigurationDocTest {
  private static final Pattern READ = Pattern.compile("\"(SIYU_[A-Z0-9_]+)\"");
  private static final Pattern NAMED = Pattern.compile("`(SIYU_[A-Z0-9_]+)`");

  @Test
  void theDocumentNamesEveryVariableTheCodeReadsAndNoOther() throws IOException {
    Set<String> read = readByTheCode();
    Set<String> documented = documented();
    assertTrue(read.size() > 80, "found only " + read.size() + " variables in the code: is the scan still right?");
    Set<String> undocumented = new TreeSet<>(read);
    undocumented.removeAll(documented);
    Set<String> unread = new TreeSet<>(documented);
    unread.removeAll(read);
    assertEquals(Set.of(), undocumented, "read by the code but missing from docs/CONFIGURATION.md");
    assertEquals(Set.of(), unread, "in docs/CONFIGURATION.md but read nowhere in the code");
  }

  private static Set<String> readByTheCode() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = READ.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  /** The names in the first cell of each table row. */
  private static Set<String> documented() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("docs/CONFIGURATION.md"))) {
      if (!line.startsWith("| `SIYU_")) {
        continue;
      }
      Matcher m = NAMED.matcher(line.substring(1, line.indexOf('|', 1)));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
