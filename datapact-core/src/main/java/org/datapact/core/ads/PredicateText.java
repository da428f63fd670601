package org.datapact.core.ads;

import java.util.ArrayList;
import java.util.List;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.CountryCode;

/** Reads a predicate back from its {@link Predicate#canonical()} text, the form the store keeps. */
public final class PredicateText {
  private final String s;
  private int pos;

  private PredicateText(String s) {
    this.s = s;
  }

  /**
   * @throws IllegalArgumentException if {@code text} is no canonical predicate
   */
  public static Predicate parse(String text) {
    PredicateText p = new PredicateText(text);
    Predicate out = p.predicate();
    if (p.pos != text.length()) {
      throw p.error("trailing text");
    }
    return out;
  }

  private Predicate predicate() {
    if (s.startsWith("and(", pos)) {
      pos += 4;
      return new Predicate.All(list());
    }
    if (s.startsWith("or(", pos)) {
      pos += 3;
      return new Predicate.Any(list());
    }
    if (s.startsWith("not(", pos)) {
      pos += 4;
      Predicate inner = predicate();
      expect(')');
      return new Predicate.Not(inner);
    }
    int eq = s.indexOf('=', pos);
    if (eq < 0) {
      throw error("expected a leaf");
    }
    String key = s.substring(pos, eq);
    int end = eq + 1;
    while (end < s.length() && s.charAt(end) != ',' && s.charAt(end) != ')') {
      end++;
    }
    String value = s.substring(eq + 1, end);
    pos = end;
    switch (key) {
      case "country":
        return new Predicate.InCountry(CountryCode.of(value));
      case "age":
        return new Predicate.InAgeBand(AgeBand.fromWire(value));
      case "interest":
        return new Predicate.HasInterest(Interest.fromWire(value));
      case "watched":
        int colon = value.indexOf(':');
        if (colon < 0) {
          throw error("expected partner:genre");
        }
        return new Predicate.Watched(
            PartyId.of(value.substring(0, colon)), Genre.fromWire(value.substring(colon + 1)));
      default:
        throw error("unknown attribute `" + key + "`");
    }
  }

  private List<Predicate> list() {
    List<Predicate> out = new ArrayList<>();
    out.add(predicate());
    while (pos < s.length() && s.charAt(pos) == ',') {
      pos++;
      out.add(predicate());
    }
    expect(')');
    return out;
  }

  private void expect(char c) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected `" + c + "`");
    }
    pos++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + pos + " in `" + s + "`");
  }
}
