package io.siyu.imports;

import io.siyu.contact.ContactInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an upload as a stream and cuts it into {@link Chunk}s: a batch of valid rows plus the
 * lines rejected along the way. It runs on its own thread so that parsing the next chunk overlaps
 * with the database merging the previous one.
 */
final class ImportReader implements Runnable {
  /** The end of the file (or of reading, when {@code failure} is set). */
  static final Chunk END = new Chunk(null, List.of(), 0);

  /** What one commit covers: {@code rows} rows of the file, valid ones in {@code batch}. */
  record Chunk(ImportBatch batch, List<Rejection> rejections, long rows) {}

  private final Path file;
  private final ImportFormat format;
  private final ImportRows rows;
  private final long resumeAfter;
  private final BlockingQueue<Chunk> out;
  private volatile Exception failure;

  private ImportBatch batch = new ImportBatch();
  private List<Rejection> rejections = new ArrayList<>();
  private long rowsInChunk;

  ImportReader(Path file, ImportFormat format, ImportRows rows, long resumeAfter, BlockingQueue<Chunk> out) {
    this.file = file;
    this.format = format;
    this.rows = rows;
    this.resumeAfter = resumeAfter;
    this.out = out;
  }

  Exception failure() {
    return failure;
  }

  @Override
  public void run() {
    try {
      if (format == ImportFormat.CSV) {
        readCsv();
      } else {
        readNdjson();
      }
      emit();
    } catch (InterruptedException e) {
      return; // the job is stopping; nobody waits for the end marker
    } catch (Exception e) {
      failure = e;
    }
    try {
      out.put(END);
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
  }

  private void readCsv() throws IOException, InterruptedException {
    CSVFormat csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).get();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.parse(reader, csv)) {
      List<String> header = stripBom(parser.getHeaderNames());
      long rowNo = 0;
      for (CSVRecord record : parser) {
        if (++rowNo <= resumeAfter) {
          continue;
        }
        long lineNo = rowNo + 1; // line 1 is the header
        try {
          accept(lineNo, rows.fromCsv(header, record.toList()));
        } catch (IllegalArgumentException e) {
          reject(lineNo, e);
        }
      }
    }
  }

  private void readNdjson() throws IOException, InterruptedException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      long rowNo = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank() || ++rowNo <= resumeAfter) {
          continue;
        }
        try {
          accept(lineNo, rows.fromJsonLine(line));
        } catch (IllegalArgumentException e) {
          reject(lineNo, e);
        }
      }
    }
  }

  /**
   * A row repeating an identity already in this batch starts a new chunk: the earlier line is then
   * committed first, and the later one finds its contact as an update.
   */
  private void accept(long lineNo, ContactInput in) throws InterruptedException {
    if (!batch.add(lineNo, in)) {
      emit();
      batch.add(lineNo, in);
    }
    rowsInChunk++;
    if (batch.isFull()) {
      emit();
    }
  }

  private void reject(long lineNo, IllegalArgumentException e) {
    rejections.add(e instanceof Rejection.Refused refused ? new Rejection(lineNo, refused.causes())
        : Rejection.ofRow(lineNo, e.getMessage()));
    rowsInChunk++;
  }

  private void emit() throws InterruptedException {
    if (rowsInChunk == 0) {
      return;
    }
    out.put(new Chunk(batch, rejections, rowsInChunk));
    batch = new ImportBatch();
    rejections = new ArrayList<>();
    rowsInChunk = 0;
  }

  /** Spreadsheet programs like to start UTF-8 CSV files with a byte-order mark. */
  static List<String> stripBom(List<String> header) {
    List<String> h = new ArrayList<>(header);
    if (!h.isEmpty() && h.get(0).startsWith("\uFEFF")) {
      h.set(0, h.get(0).substring(1));
    }
    return h;
  }
}
