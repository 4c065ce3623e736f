package io.siyu.bench;

import static io.siyu.bench.Out.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The import scenario's synthetic contacts: N rows, seeded, so every run imports the same bytes.
 * See bench/README.md, "Synthetic data".
 */
final class ContactsCsv {
  private ContactsCsv() {}

  static final String CSV_HEADER =
      "mobile,email,name,gender,birthday,lifecycle_stage,attributes.level,attributes.city,consent.sms";

  static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡"};
  static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"};
  static final String[] PINYIN_SURNAMES = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"};
  static final String[] PINYIN_GIVEN = {"Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Xiuying", "Tao"};
  static final String[] CITIES = {"上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉", "Suzhou", "Xiamen"};
  static final String[] STAGES = {"new", "growing", "mature", "dormant", "churned"};

  /**
   * Writes {@code rows} contacts to {@code csv}. Seeded, so every run imports the same bytes; mobile
   * and email carry a counter so every row is a new contact (the import must insert, not update).
   * No field needs CSV quoting: this measures throughput, the parser's corner cases have unit tests.
   */
  static void generate(Path csv, int rows, long seed) throws IOException {
    long t0 = System.nanoTime();
    Random rnd = new Random(seed);
    StringBuilder line = new StringBuilder(160);
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write(CSV_HEADER);
      out.write('\n');
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append("139").append(String.format(Locale.ROOT, "%08d", i)).append(',')
            .append("member").append(i).append("@bench.example.com").append(',')
            .append(name(rnd)).append(',')
            .append(gender(rnd)).append(',')
            .append(birthday(rnd)).append(',')
            .append(STAGES[rnd.nextInt(STAGES.length)]).append(',')
            .append(1 + rnd.nextInt(10)).append(',')
            .append(CITIES[rnd.nextInt(CITIES.length)]).append(',')
            .append(rnd.nextInt(4) != 0).append('\n');
        out.append(line);
      }
    }
    log("generated %,d contacts into %s (%,d bytes) in %.1f s",
        rows, csv, Files.size(csv), (System.nanoTime() - t0) / 1e9);
  }

  static String name(Random rnd) {
    if (rnd.nextInt(5) == 0) {
      return PINYIN_GIVEN[rnd.nextInt(PINYIN_GIVEN.length)] + " " + PINYIN_SURNAMES[rnd.nextInt(PINYIN_SURNAMES.length)];
    }
    return SURNAMES[rnd.nextInt(SURNAMES.length)] + GIVEN[rnd.nextInt(GIVEN.length)];
  }

  static String gender(Random rnd) {
    int g = rnd.nextInt(10);
    return g < 6 ? "female" : g < 9 ? "male" : "unknown";
  }

  /** About 1 in 200 contacts is born on 29 February of a leap year, the date birthday journeys trip on. */
  static String birthday(Random rnd) {
    if (rnd.nextInt(200) == 0) {
      return String.format(Locale.ROOT, "%04d-02-29", 1960 + 4 * rnd.nextInt(12));
    }
    int year = 1960 + rnd.nextInt(46);
    int month = 1 + rnd.nextInt(12);
    int day = 1 + rnd.nextInt(28);
    return String.format(Locale.ROOT, "%04d-%02d-%02d", year, month, day);
  }
}
