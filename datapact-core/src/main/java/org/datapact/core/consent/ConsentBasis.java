package org.datapact.core.consent;

import java.util.Locale;

/** How a consent was given. Some jurisdictions count only explicit consent. */
public enum ConsentBasis {
  /** The user acted specifically to give it (a consent dialog, the privacy center). */
  EXPLICIT,
  /** It came with accepting general terms of service. */
  TERMS;

  /**
   * @return the lowercase wire name
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @return the basis with this wire name
   */
  public static ConsentBasis fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
