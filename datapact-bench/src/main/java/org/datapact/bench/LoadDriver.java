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
 * Prints one line: mode, requests, throughput, latency percentiles, status counts.
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

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String url = args[1];
    int connections = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    double rate = Double.parseDouble(args[4]);
    String method = args[5];
    String body = args[6].equals("-") ? null : args[6];
    List<String> headers = List.of(args).subList(7, args.length);
    Target t = target(url, method, body, headers);
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
    StringBuilder st = new StringBuilder();
    new java.util.TreeMap<>(statuses).forEach((s, c) -> st.append(' ').append(s).append('=').append(c.sum()));
    System.out.printf(Locale.ROOT, "%s %s requests=%d throughput=%.0f/s p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms statuses:%s%n",
        mode, method, total, total / seconds, pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), pct(all, 1.0), st);
  }

  private static double pct(Histogram h, double q) {
    return h.getTotalCount() == 0 ? Double.NaN : (q >= 1.0 ? h.getMaxValue() : h.getValueAtPercentile(q * 100)) / 1e6;
  }
}
