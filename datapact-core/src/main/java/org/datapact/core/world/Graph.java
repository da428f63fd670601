package org.datapact.core.world;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An undirected friend graph in compressed sparse row form: the neighbours of user {@code u} are
 * {@code neighbour(offset(u)) .. neighbour(offset(u + 1) - 1)}, ascending. User ids are 1-based.
 */
final class Graph {
  private final int users;
  private final int[] offsets;
  private final int[] adjacency;

  private Graph(int users, int[] offsets, int[] adjacency) {
    this.users = users;
    this.offsets = offsets;
    this.adjacency = adjacency;
  }

  /**
   * Barabási–Albert preferential attachment: users {@code 1..m+1} form a clique, then each later
   * user links to {@code m} distinct earlier users drawn from the list of edge endpoints, which
   * picks a user with probability proportional to its degree.
   */
  static Graph preferentialAttachment(int n, int m, SplittableRandom rng) {
    int clique = m + 1;
    long edges = (long) clique * (clique - 1) / 2 + (long) (n - clique) * m;
    if (edges * 2 > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("graph of `" + n + "` users is too large for one array");
    }
    int[] src = new int[(int) edges];
    int[] dst = new int[(int) edges];
    int[] endpoints = new int[(int) edges * 2];
    int e = 0;
    for (int a = 1; a <= clique; a++) {
      for (int b = a + 1; b <= clique; b++) {
        src[e] = a;
        dst[e] = b;
        endpoints[2 * e] = a;
        endpoints[2 * e + 1] = b;
        e++;
      }
    }
    int[] chosen = new int[m];
    for (int v = clique + 1; v <= n; v++) {
      int endpointCount = 2 * e;
      for (int k = 0; k < m; k++) {
        int target;
        do {
          target = endpoints[rng.nextInt(endpointCount)];
        } while (seen(chosen, k, target));
        chosen[k] = target;
      }
      for (int k = 0; k < m; k++) {
        src[e] = chosen[k];
        dst[e] = v;
        endpoints[2 * e] = chosen[k];
        endpoints[2 * e + 1] = v;
        e++;
      }
    }
    return fromEdges(n, src, dst, e);
  }

  private static boolean seen(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static Graph fromEdges(int n, int[] src, int[] dst, int edges) {
    int[] offsets = new int[n + 2];
    for (int i = 0; i < edges; i++) {
      offsets[src[i] + 1]++;
      offsets[dst[i] + 1]++;
    }
    for (int u = 1; u <= n + 1; u++) {
      offsets[u] += offsets[u - 1];
    }
    int[] fill = Arrays.copyOf(offsets, offsets.length);
    int[] adjacency = new int[edges * 2];
    for (int i = 0; i < edges; i++) {
      adjacency[fill[src[i]]++] = dst[i];
      adjacency[fill[dst[i]]++] = src[i];
    }
    for (int u = 1; u <= n; u++) {
      Arrays.sort(adjacency, offsets[u], offsets[u + 1]);
    }
    return new Graph(n, offsets, adjacency);
  }

  int users() {
    return users;
  }

  int offset(int user) {
    return offsets[user];
  }

  int neighbour(int index) {
    return adjacency[index];
  }

  long directedEdgeCount() {
    return adjacency.length;
  }
}
