package org.datapact.ledger.subject;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The process {@link SubjectIndexCrashTest} kills: opens the index, prints {@code ready
 * <indexedThrough>}, then appends batches of entries (from there on, in order, about subjects
 * {@code 1..subjects}) until it dies, printing {@code ack <key> <entry>} for every record of a
 * batch once {@link SubjectIndex#append} has returned.
 */
public final class SubjectIndexCrashChild {
  private SubjectIndexCrashChild() {}

  /** Args: index file, seed, subjects. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    SplittableRandom rng = new SplittableRandom(Long.parseLong(args[1]));
    int subjects = Integer.parseInt(args[2]);
    SubjectIndex index = SubjectIndex.open(Path.of(args[0]));
    long entry = index.indexedThrough();
    out.println("ready " + entry);
    out.flush();
    while (true) {
      int n = 1 + rng.nextInt(64);
      long[] keys = new long[n];
      long[] entries = new long[n];
      for (int i = 0; i < n; i++) {
        entry += rng.nextInt(2);
        keys[i] = 1 + rng.nextInt(subjects);
        entries[i] = entry;
      }
      entry++;
      index.append(keys, entries, n);
      for (int i = 0; i < n; i++) {
        out.println("ack " + keys[i] + " " + entries[i]);
      }
      out.flush();
    }
  }
}
