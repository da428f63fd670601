package org.datapact.server.http;

import java.util.List;

/** A slice of the API (one package by feature) that contributes routes to the server. */
@FunctionalInterface
public interface Feature {
  /**
   * @return the routes this feature serves
   */
  List<Route> routes();
}
