package org.datapact.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * A small HTTP/1.1 load driver over keep-alive sockets, light enough to share two cores with the
 * server it measures.
 *
 * <ul>
 *   <li>{@code max}: each of {@code connections} connections sends its next request as soon as the
 *       previous answer arrives (closed loop): the throughput the server sustains.
 *   <li>{@code rate}: requests are due at a fixed total rate, spread over the connections; latency
 *       counts from when a request was due, not when it was sent (no coordinated omission).
 * </ul>
 *
 * <p>Usage: {@code LoadDriver <max|rate> <url> <connections> <seconds> <rate> <method> <body|-> [header...]}.
 * Prints one line: mode, requests, throughput, latency percentiles, status counts. And {@code
 * LoadDriver pair ...} measures two servers side by side ({@link #pair}).
 */
public final class LoadDriver {
  private LoadDriver() {}

  private record Target(String host, int port, byte[] request) {}

  static Target target(String url, String method, String body, List<String> headers) {
    URI u = URI.create(url);
    StringBuilder r = new StringBuilder();
    r.append(method).append(' ').append(u.getRawPath()).append(u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
        .append(" HTTP/1.1\r\nHost: ").append(u.getHost()).append(':').append(u.getPort()).append("\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      r.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
    }
    r.append("\r\n");
    byte[] head = r.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + b.length);
    System.arraycopy(b, 0, all, head.length, b.length);
    return new Target(u.getHost(), u.getPort(), all);
  }

  /** Reads one response; returns its status. */
  static int readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int status = -1;
    int length = 0;
    boolean chunked = false;
    while (true) {
      line.setLength(0);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (line.length() == 0) {
        break;
      }
      String l = line.toString();
      if (status < 0) {
        status = Integer.parseInt(l.substring(9, 12));
      } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(l.substring(15).trim());
      } else if (l.regionMatches(true, 0, "transfer-encoding:", 0, 18) && l.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      while (true) {
        line.setLength(0);
        int c;
        while ((c = in.read()) != '\n') {
          if (c != '\r') {
            line.append((char) c);
          }
        }
        int size = Integer.parseInt(line.toString().trim(), 16);
        in.skipNBytes(size + 2);
        if (size == 0) {
          break;
        }
      }
    } else {
      in.skipNBytes(length);
    }
    return status;
  }

  /** What one run measured. */
  record Result(long requests, double seconds, Histogram latency, java.util.SortedMap<Integer, Long> statuses) {
    double throughput() {
      return requests / seconds;
    }

    String line(String mode, String method) {
      StringBuilder st = new StringBuilder();
      statuses.forEach((s, c) -> st.append(' ').append(s).append('=').append(c));
      return String.format(Locale.ROOT, "%s %s requests=%d throughput=%.0f/s p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms statuses:%s",
          mode, method, requests, throughput(), pct(latency, 0.50), pct(latency, 0.90), pct(latency, 0.99),
          pct(latency, 1.0), st);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("pair")) {
      pair(args);
      return;
    }
    String mode = args[0];
    String method = args[5];
    Target t = target(args[1], method, args[6].equals("-") ? null : args[6], List.of(args).subList(7, args.length));
    Result r = run(mode, t, Integer.parseInt(args[2]), Double.parseDouble(args[3]), Double.parseDouble(args[4]));
    System.out.println(r.line(mode, method));
  }

  /**
   * {@code pair <connections> <seconds> <slices> <warm-up seconds> <A> <B>}, each side written
   * {@code METHOD|URL|BODY or -|HEADER|...}: both sides at full load (closed loop), first each
   * warmed up, then measured in alternating slices from this one JVM, so that a drift in the
   * machine's speed falls on both sides alike, and the driver's own warm-up on neither. Prints a
   * line per slice, one per side over all its slices, and their ratio.
   */
  private static void pair(String[] args) throws Exception {
    int connections = Integer.parseInt(args[1]);
    double seconds = Double.parseDouble(args[2]);
    int slices = Integer.parseInt(args[3]);
    double warmup = Double.parseDouble(args[4]);
    String[] a = args[5].split("\\|");
    String[] b = args[6].split("\\|");
    Target ta = target(a[1], a[0], a[2].equals("-") ? null : a[2], List.of(a).subList(3, a.length));
    Target tb = target(b[1], b[0], b[2].equals("-") ? null : b[2], List.of(b).subList(3, b.length));
    run("max", ta, connections, warmup, 0);
    run("max", tb, connections, warmup, 0);
    long ra = 0;
    long rb = 0;
    StringBuilder pairs = new StringBuilder();
    for (int i = 1; i <= slices; i++) {
      Result x = run("max", ta, connections, seconds / slices, 0);
      Result y = run("max", tb, connections, seconds / slices, 0);
      System.out.println("  slice " + i + " A: " + x.line("max", a[0]));
      System.out.println("  slice " + i + " B: " + y.line("max", b[0]));
      ra += x.requests();
      rb += y.requests();
      pairs.append(String.format(Locale.ROOT, " %.1f%%", 100.0 * x.requests() / y.requests()));
    }
    System.out.printf(Locale.ROOT, "A %s %s: %.0f/s over %d slices%n", a[0], a[1], ra / seconds, slices);
    System.out.printf(Locale.ROOT, "B %s %s: %.0f/s over %d slices%n", b[0], b[1], rb / seconds, slices);
    System.out.printf(Locale.ROOT, "ratio A/B: %.1f%% (per pair of slices:%s)%n", 100.0 * ra / rb, pairs);
  }

  static Result run(String mode, Target t, int connections, double seconds, double rate) throws InterruptedException {
    long start = System.nanoTime() + 200_000_000L;
    long end = start + (long) (seconds * 1e9);
    ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    // one histogram per connection, merged at the end: recording allocates nothing, so the driver's
    // own garbage collector cannot stall it and show up as the server's latency
    List<Histogram> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long[] counts = new long[connections];
    for (int i = 0; i < connections; i++) {
      Histogram lat = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
      latencies.add(lat);
      final int id = i;
      Thread th = new Thread(() -> {
        try (Socket s = new Socket()) {
          s.setTcpNoDelay(true);
          s.connect(new InetSocketAddress(t.host(), t.port()));
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
          double interval = mode.equals("rate") ? 1e9 * connections / rate : 0;
          long due = start + (long) (interval * id / connections);
          int n = 0;
          while (true) {
            long now = System.nanoTime();
            if (mode.equals("rate")) {
              if (due > now) {
                java.util.concurrent.locks.LockSupport.parkNanos(due - now);
              }
            } else {
              due = Math.max(now, start);
              if (due > now) {
                java.util.concurrent.locks.LockSupport.parkNanos(due - now);
              }
            }
            if (due >= end) {
              break;
            }
            out.write(t.request());
            out.flush();
            int status = readResponse(in);
            long done = System.nanoTime();
            statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
            lat.recordValue(Math.min(done - due, lat.getHighestTrackableValue()));
            n++;
            if (mode.equals("rate")) {
              due += (long) interval;
            }
          }
          counts[id] = n;
        } catch (IOException e) {
          statuses.computeIfAbsent(-1, k -> new LongAdder()).increment();
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    long total = 0;
    Histogram all = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    for (int i = 0; i < connections; i++) {
      total += counts[i];
      all.add(latencies.get(i));
    }
    java.util.SortedMap<Integer, Long> st = new java.util.TreeMap<>();
    statuses.forEach((s, c) -> st.put(s, c.sum()));
    return new Result(total, seconds, all, st);
  }

  private static double pct(Histogram h, double q) {
    return h.getTotalCount() == 0 ? Double.NaN : (q >= 1.0 ? h.getMaxValue() : h.getValueAtPercentile(q * 100)) / 1e6;
  }
}
