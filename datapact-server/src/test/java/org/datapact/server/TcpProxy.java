package org.datapact.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback between DataPact and its database, which a test cuts (every connection
 * reset, new ones refused) and restores on the same port. Only ever forwards to a loopback target.
 */
public final class TcpProxy implements AutoCloseable {
  private final int targetPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  /** Starts forwarding a free loopback port to {@code 127.0.0.1:targetPort}. */
  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = s.getLocalPort();
    listen(s);
  }

  /**
   * @return the proxy's port
   */
  public int port() {
    return port;
  }

  private void listen(ServerSocket s) {
    listener = s;
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try {
                  Socket client = s.accept();
                  Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  open.add(client);
                  open.add(upstream);
                  pump(client, upstream);
                  pump(upstream, client);
                } catch (IOException e) {
                  return; // closed by cut()
                }
              }
            },
            "tcp-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // either side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Resets every connection and refuses new ones. */
  public void cut() {
    closeQuietly(listener);
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0); // a reset, as a dead network or server gives
      } catch (IOException e) {
        // already closed
      }
      closeQuietly(s);
    }
    open.clear();
  }

  /** Accepts connections again on the same port. */
  public void restore() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    listen(s);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    cut();
  }
}
