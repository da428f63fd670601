package org.datapact.core.consent;

import java.util.Objects;
import org.datapact.core.policy.Purpose;

/**
 * What a consent is about: a purpose, or a special topic a jurisdiction demands on top of the
 * purpose consent (the US video-sharing consent).
 */
public sealed interface ConsentTopic permits ConsentTopic.ForPurpose, ConsentTopic.Special {
  /** The US video-sharing consent. */
  ConsentTopic VIDEO_SHARING = Special.VIDEO_SHARING;

  /**
   * @return the wire name: a purpose's wire name, or {@code video_sharing}
   */
  String wire();

  /**
   * @return the topic with this wire name
   */
  static ConsentTopic fromWire(String wire) {
    if (Special.VIDEO_SHARING.wire().equals(wire)) {
      return VIDEO_SHARING;
    }
    try {
      return new ForPurpose(Purpose.fromWire(wire));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", video_sharing");
    }
  }

  /**
   * @return the topic for a purpose
   */
  static ConsentTopic of(Purpose purpose) {
    return new ForPurpose(purpose);
  }

  /**
   * Consent to a purpose.
   *
   * @param purpose the purpose
   */
  record ForPurpose(Purpose purpose) implements ConsentTopic {
    /** Validates. */
    public ForPurpose {
      Objects.requireNonNull(purpose, "purpose");
    }

    @Override
    public String wire() {
      return purpose.wire();
    }
  }

  /** Special consent topics. */
  enum Special implements ConsentTopic {
    /** Consent to share video-viewing data (US). */
    VIDEO_SHARING;

    @Override
    public String wire() {
      return "video_sharing";
    }
  }
}
