package org.datapact.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

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
 * <p>Usage: {@code LoadDriver <max|rate> <url> <connections> <seconds> <rate> <method> <body|->
 * [header...]} ({@code <url>} may list several, comma-separated: the nodes of one deployment, the
 * connections spread over them). Runs the same load for {@link #WARMUP_SECONDS} first, uncounted.
 * Prints one line: mode, requests, throughput, latency percentiles, status counts. And {@code
 * LoadDriver pair ...} measures two servers side by side ({@link #pair}).
 *
 * <p>Why one class of about 530 lines: a benchmark tool whose event loop, parser and statistics
 * share per-connection state on two threads; it is measured as one piece (LoadDriverTest).
 */
public final class LoadDriver {
  private LoadDriver() {}

  private record Target(String host, int port, byte[] request) {}

  /** A target as the command line writes it: {@code -} for no body. */
  private static Target fromArgs(String method, String url, String body, List<String> headers) {
    return target(url, method, body.equals("-") ? null : body, headers);
  }

  static Target target(String url, String method, @Nullable String body, List<String> headers) {
    URI u = URI.create(url);
    StringBuilder r = new StringBuilder();
    r.append(method)
        .append(' ')
        .append(u.getRawPath())
        .append(u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
        .append(" HTTP/1.1\r\nHost: ")
        .append(u.getHost())
        .append(':')
        .append(u.getPort())
        .append("\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      r.append("Content-Type: application/json\r\nContent-Length: ")
          .append(b.length)
          .append("\r\n");
    }
    r.append("\r\n");
    byte[] head = r.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + b.length);
    System.arraycopy(b, 0, all, head.length, b.length);
    return new Target(u.getHost(), u.getPort(), all);
  }

  /**
   * Parses HTTP/1.1 responses incrementally from whatever bytes a non-blocking read brought: the
   * status line, {@code Content-Length} or chunked bodies. One per connection.
   */
  static final class ResponseParser {
    private enum State {
      HEAD,
      BODY,
      CHUNK_SIZE,
      CHUNK_DATA,
      TRAILER
    }

    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private int status = -1;
    private long length;
    private boolean chunked;
    private long remaining;

    /**
     * Consumes bytes of {@code in} up to the end of the response under way.
     *
     * @return the response's status once it is complete, -1 while more bytes are needed
     * @throws IOException when the bytes are not an HTTP/1.1 response
     */
    int feed(ByteBuffer in) throws IOException {
      while (in.hasRemaining()) {
        switch (state) {
          case BODY, CHUNK_DATA -> {
            int n = (int) Math.min(remaining, in.remaining());
            in.position(in.position() + n);
            remaining -= n;
            if (remaining == 0) {
              if (state == State.BODY) {
                return done();
              }
              state = State.CHUNK_SIZE;
            }
          }
          default -> {
            byte b = in.get();
            if (b == '\r') {
              continue;
            }
            if (b != '\n') {
              line.append((char) b);
              continue;
            }
            int r = endOfLine();
            line.setLength(0);
            if (r >= 0) {
              return r;
            }
          }
        }
      }
      return -1;
    }

    private int endOfLine() throws IOException {
      String l = line.toString();
      switch (state) {
        case HEAD -> {
          if (status < 0) {
            if (!l.startsWith("HTTP/1.1 ") || l.length() < 12) {
              throw new IOException("not an HTTP/1.1 status line: " + l);
            }
            status = Integer.parseInt(l.substring(9, 12));
          } else if (l.isEmpty()) {
            if (chunked) {
              state = State.CHUNK_SIZE;
            } else if (length > 0) {
              state = State.BODY;
              remaining = length;
            } else {
              return done();
            }
          } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
            length = Long.parseLong(l.substring(15).trim());
          } else if (l.regionMatches(true, 0, "transfer-encoding:", 0, 18)
              && l.toLowerCase(Locale.ROOT).contains("chunked")) {
            chunked = true;
          }
        }
        case CHUNK_SIZE -> {
          if (l.isEmpty()) {
            return -1; // the line break after a chunk's data
          }
          int semi = l.indexOf(';');
          long size = Long.parseLong((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
          if (size == 0) {
            state = State.TRAILER;
          } else {
            state = State.CHUNK_DATA;
            remaining = size;
          }
        }
        case TRAILER -> {
          if (l.isEmpty()) {
            return done();
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
      return -1;
    }

    private int done() {
      int s = status;
      state = State.HEAD;
      status = -1;
      length = 0;
      chunked = false;
      remaining = 0;
      return s;
    }
  }

  /** What one run measured. */
  record Result(
      long requests,
      double seconds,
      Histogram latency,
      java.util.SortedMap<Integer, Long> statuses) {
    double throughput() {
      return requests / seconds;
    }

    String line(String mode, String method) {
      StringBuilder st = new StringBuilder();
      statuses.forEach((s, c) -> st.append(' ').append(s).append('=').append(c));
      return String.format(
          Locale.ROOT,
          "%s %s requests=%d throughput=%.0f/s p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms statuses:%s",
          mode,
          method,
          requests,
          throughput(),
          pct(latency, 0.50),
          pct(latency, 0.90),
          pct(latency, 0.99),
          pct(latency, 1.0),
          st);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("pair")) {
      pair(args);
      return;
    }
    String mode = args[0];
    String method = args[5];
    // several URLs, comma-separated (several nodes of one deployment): the event loops share them
    // out, so one driver spreads the same connections over every node
    List<Target> t = new java.util.ArrayList<>();
    for (String url : args[1].split(",")) {
      t.add(fromArgs(method, url, args[6], List.of(args).subList(7, args.length)));
    }
    int connections = Integer.parseInt(args[2]);
    double rate = Double.parseDouble(args[4]);
    if (WARMUP_SECONDS > 0) {
      run(mode, t, connections, WARMUP_SECONDS, rate); // not counted: the driver's own JIT warm-up
    }
    Result r = run(mode, t, connections, Double.parseDouble(args[3]), rate);
    System.out.println(r.line(mode, method));
  }

  /**
   * Seconds of the same load run first and not counted ({@code -Ddatapact.driver.warmup}, 5 by
   * default). A cold driver parses answers in the interpreter: at a fixed rate of 5,000 /s it fell
   * behind its schedule for its first second, which counted as up to 900 ms of the server's latency
   * (p99 600 ms in one 20 s run of three) while the server's own request log showed no call over 50
   * ms.
   */
  static final double WARMUP_SECONDS =
      Double.parseDouble(System.getProperty("datapact.driver.warmup", "5"));

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
    Target ta = fromArgs(a[0], a[1], a[2], List.of(a).subList(3, a.length));
    Target tb = fromArgs(b[0], b[1], b[2], List.of(b).subList(3, b.length));
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
    System.out.printf(
        Locale.ROOT, "A %s %s: %.0f/s over %d slices%n", a[0], a[1], ra / seconds, slices);
    System.out.printf(
        Locale.ROOT, "B %s %s: %.0f/s over %d slices%n", b[0], b[1], rb / seconds, slices);
    System.out.printf(
        Locale.ROOT, "ratio A/B: %.1f%% (per pair of slices:%s)%n", 100.0 * ra / rb, pairs);
  }

  /**
   * Runs one load. The connections are served by {@link #LOOPS} event-loop threads (non-blocking
   * sockets under a {@link Selector}), as wrk does: a thread per connection cost the driver a
   * context switch per response and, on two cores shared with the server, 49 µs of CPU per call
   * against wrk's 20 µs (docs/benchmarks.md).
   */
  static Result run(String mode, Target t, int connections, double seconds, double rate)
      throws InterruptedException {
    return run(mode, List.of(t), connections, seconds, rate);
  }

  /**
   * Runs one load over several targets (the nodes of one deployment): event loop {@code i} drives
   * target {@code i % targets}, with at least one loop per target.
   */
  static Result run(String mode, List<Target> targets, int connections, double seconds, double rate)
      throws InterruptedException {
    boolean fixedRate =
        switch (mode) {
          case "rate" -> true;
          case "max" -> false;
          default -> throw new IllegalArgumentException("the mode is max or rate, got " + mode);
        };
    if (fixedRate && !(rate > 0)) {
      throw new IllegalArgumentException("a fixed rate must be above 0 a second, got " + rate);
    }
    long start = System.nanoTime() + 200_000_000L;
    long end = start + (long) (seconds * 1e9);
    double interval = fixedRate ? 1e9 * connections / rate : 0;
    int loops = Math.max(targets.size(), Math.max(1, Math.min(LOOPS, connections)));
    Loop[] ls = new Loop[loops];
    for (int i = 0; i < loops; i++) {
      ls[i] = new Loop(targets.get(i % targets.size()), fixedRate, start, end, interval);
    }
    for (int c = 0; c < connections; c++) {
      // at a fixed rate the connections' first requests are spread over one interval
      ls[c % loops].conns.add(new Conn(start + (long) (interval * c / connections)));
    }
    Thread[] threads = new Thread[loops];
    for (int i = 0; i < loops; i++) {
      threads[i] = new Thread(ls[i], "load-loop-" + i);
      threads[i].start();
    }
    long total = 0;
    Histogram all = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    java.util.SortedMap<Integer, Long> st = new java.util.TreeMap<>();
    for (int i = 0; i < loops; i++) {
      threads[i].join();
      total += ls[i].requests;
      all.add(ls[i].latency);
      ls[i].statuses.forEach((k, v) -> st.merge(k, v, Long::sum));
    }
    return new Result(total, seconds, all, st);
  }

  /** Event-loop threads of a run: two (the machine this was written for has two cores). */
  static final int LOOPS = Integer.getInteger("datapact.driver.loops", 2);

  /** How long after the end a run waits for answers still due, before counting them as failed. */
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** One keep-alive connection: its next request's due time and the answer under way. */
  private static final class Conn {
    long due;
    long sentAt;
    boolean inFlight;
    boolean closed;

    @SuppressWarnings("NullAway.Init") // set by connect(), before any use
    SocketChannel channel;

    @SuppressWarnings("NullAway.Init")
    SelectionKey key;

    /** The request, written again from its start for each send. */
    @SuppressWarnings("NullAway.Init")
    ByteBuffer out;

    final ResponseParser parser = new ResponseParser();

    Conn(long due) {
      this.due = due;
    }
  }

  /** An event loop over some of the connections; everything it counts is its own (no sharing). */
  private static final class Loop implements Runnable {
    final Target t;
    final boolean fixedRate;
    final long start;
    final long end;
    final double interval;
    final List<Conn> conns = new ArrayList<>();
    // recording allocates nothing, so the driver's own garbage collector cannot stall it and show
    // up as the server's latency
    final Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    final java.util.TreeMap<Integer, Long> statuses = new java.util.TreeMap<>();
    long requests;
    final ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);

    Loop(Target t, boolean fixedRate, long start, long end, double interval) {
      this.t = t;
      this.fixedRate = fixedRate;
      this.start = start;
      this.end = end;
      this.interval = interval;
    }

    @Override
    public void run() {
      try (Selector selector = Selector.open()) {
        for (Conn c : conns) {
          try {
            c.channel = SocketChannel.open(new InetSocketAddress(t.host(), t.port()));
            c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.channel.configureBlocking(false);
            c.out = ByteBuffer.wrap(t.request());
            c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
          } catch (IOException e) {
            fail(c);
          }
        }
        while (true) {
          long now = System.nanoTime();
          long wake = Long.MAX_VALUE;
          boolean waiting = false;
          for (Conn c : conns) {
            if (c.closed) {
              continue;
            }
            if (c.inFlight) {
              waiting = true;
              if (now - end > GRACE_NANOS) {
                fail(c); // no answer long after the end: counted as failed
              }
              continue;
            }
            long due = fixedRate ? c.due : Math.max(now, start);
            if (due >= end) {
              continue; // this connection's share of the run is done
            }
            if (due <= now) {
              c.due = due;
              send(c, now);
              waiting = true;
            } else {
              wake = Math.min(wake, due);
            }
          }
          if (!waiting && wake == Long.MAX_VALUE) {
            break;
          }
          long wait = (wake == Long.MAX_VALUE ? end + GRACE_NANOS : wake) - System.nanoTime();
          if (wait > 0) {
            selector.select(Math.max(1, wait / 1_000_000));
          } else {
            selector.selectNow();
          }
          for (SelectionKey k : selector.selectedKeys()) {
            Conn c = (Conn) k.attachment();
            if (!k.isValid() || c.closed) {
              continue;
            }
            if (k.isWritable()) {
              flush(c);
            }
            if (k.isValid() && k.isReadable()) {
              read(c);
            }
          }
          selector.selectedKeys().clear();
        }
        for (Conn c : conns) {
          if (c.channel != null) {
            c.channel.close();
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private void send(Conn c, long now) {
      c.sentAt = now;
      c.inFlight = true;
      c.out.clear(); // the whole request again
      flush(c);
    }

    private void flush(Conn c) {
      try {
        c.channel.write(c.out);
        c.key.interestOps(
            c.out.hasRemaining()
                ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                : SelectionKey.OP_READ);
      } catch (IOException e) {
        fail(c);
      }
    }

    private void read(Conn c) {
      try {
        while (true) {
          in.clear();
          int n = c.channel.read(in);
          if (n < 0) {
            fail(c); // the server closed the connection
            return;
          }
          if (n == 0) {
            return;
          }
          in.flip();
          int status = c.parser.feed(in);
          if (status >= 0) {
            long done = System.nanoTime();
            statuses.merge(status, 1L, Long::sum);
            // at a fixed rate, latency counts from when the request was due (no coordinated
            // omission)
            long from = fixedRate ? c.due : c.sentAt;
            latency.recordValue(Math.min(done - from, latency.getHighestTrackableValue()));
            requests++;
            c.inFlight = false;
            if (fixedRate) {
              c.due += (long) interval;
            }
            return;
          }
        }
      } catch (IOException e) {
        fail(c);
      }
    }

    private void fail(Conn c) {
      statuses.merge(-1, 1L, Long::sum);
      c.closed = true;
      c.inFlight = false;
      try {
        if (c.channel != null) {
          c.channel.close();
        }
      } catch (IOException ignored) {
        // closing a failed connection
      }
    }
  }

  private static double pct(Histogram h, double q) {
    return h.getTotalCount() == 0
        ? Double.NaN
        : (q >= 1.0 ? h.getMaxValue() : h.getValueAtPercentile(q * 100)) / 1e6;
  }
}
