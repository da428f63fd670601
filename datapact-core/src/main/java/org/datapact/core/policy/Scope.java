package org.datapact.core.policy;

import org.jspecify.annotations.Nullable;

/**
 * A kind of data or action a party may be granted: the partner API's scopes, and {@code data.use}
 * for an internal unit using a labelled dataset. Each scope names the ODRL action it stands for and
 * the data category it releases.
 */
public enum Scope {
  /** A user's display name and country. */
  PROFILE_BASIC("profile.basic", "read", DataCategory.CONTACT),
  /** A user's friends (only friends who themselves consented). */
  FRIENDS_LIST("friends.list", "read", DataCategory.SOCIAL_GRAPH),
  /** A user's inbox threads and messages. */
  INBOX_READ("inbox.read", "read", DataCategory.PRIVATE_MESSAGE),
  /** Sending a message on a user's behalf (recommendations). */
  MESSAGES_SEND("messages.send", "distribute", DataCategory.PRIVATE_MESSAGE),
  /** A partner pushing activity signals about a user. */
  ACTIVITY_WRITE("activity.write", "transfer", DataCategory.VIDEO_VIEWING),
  /** An internal unit using a labelled dataset for a purpose. */
  DATA_USE("data.use", "use", null);

  private final String wire;
  private final String odrlAction;
  private final @Nullable DataCategory category;

  Scope(String wire, String odrlAction, @Nullable DataCategory category) {
    this.wire = wire;
    this.odrlAction = odrlAction;
    this.category = category;
  }

  /**
   * @return the wire name, e.g. {@code inbox.read}
   */
  public String wire() {
    return wire;
  }

  /**
   * @return the ODRL 2.2 action this scope stands for
   */
  public String odrlAction() {
    return odrlAction;
  }

  /**
   * @return the data category the scope releases, or null when the request's labels say it ({@link
   *     #DATA_USE})
   */
  public @Nullable DataCategory category() {
    return category;
  }

  /**
   * @return the scope with this wire name
   * @throws IllegalArgumentException naming the unknown scope and the known ones
   */
  public static Scope fromWire(String wire) {
    return Names.WIRE.of(wire);
  }

  /** Holder: enum constants are initialised before this, so the lookup can list them. */
  private static final class Names {
    static final WireNames<Scope> WIRE = new WireNames<>(values(), Scope::wire, "scope", "scopes");
  }
}
