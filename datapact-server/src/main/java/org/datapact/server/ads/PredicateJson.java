package org.datapact.server.ads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.ads.AgeBand;
import org.datapact.core.ads.Genre;
import org.datapact.core.ads.Interest;
import org.datapact.core.ads.Predicate;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.CountryCode;

/**
 * A segment definition's JSON form: one key per object — {@code {"country":"DE"}}, {@code
 * {"ageBand":"25-34"}}, {@code {"interest":"sports"}}, {@code
 * {"watched":{"partner":"streamflix","genre":"drama"}}}, {@code {"and":[…]}}, {@code {"or":[…]}},
 * {@code {"not":{…}}}. A malformed definition is refused naming the place, e.g. {@code
 * definition.and[1]}.
 */
final class PredicateJson {
  private static final String KNOWN = "country, ageBand, interest, watched, and, or, not";

  private PredicateJson() {}

  static Predicate parse(JsonNode node) throws DataPactException {
    Predicate p = parse(node, "definition");
    if (p.leaves() > Predicate.MAX_LEAVES) {
      throw DataPactException.invalid(
          "`definition`: at most " + Predicate.MAX_LEAVES + " predicates, got " + p.leaves());
    }
    if (p.depth() > Predicate.MAX_DEPTH) {
      throw DataPactException.invalid(
          "`definition`: nested at most " + Predicate.MAX_DEPTH + " deep, got " + p.depth());
    }
    return p;
  }

  private static Predicate parse(JsonNode node, String at) throws DataPactException {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw DataPactException.invalid(
          "`" + at + "`: a predicate is an object with exactly one of " + KNOWN);
    }
    Map.Entry<String, JsonNode> e = node.fields().next();
    String key = e.getKey();
    JsonNode v = e.getValue();
    String here = at + "." + key;
    try {
      switch (key) {
        case "country":
          return new Predicate.InCountry(CountryCode.of(text(v, here)));
        case "ageBand":
          return new Predicate.InAgeBand(AgeBand.fromWire(text(v, here)));
        case "interest":
          return new Predicate.HasInterest(Interest.fromWire(text(v, here)));
        case "watched":
          if (!v.isObject()) {
            throw DataPactException.invalid(
                "`" + here + "`: {\"partner\": \"streamflix\", \"genre\": \"drama\"}");
          }
          return new Predicate.Watched(
              PartyId.of(text(v.get("partner"), here + ".partner")),
              Genre.fromWire(text(v.get("genre"), here + ".genre")));
        case "and":
          return new Predicate.All(list(v, here));
        case "or":
          return new Predicate.Any(list(v, here));
        case "not":
          return new Predicate.Not(parse(v, here));
        default:
          throw DataPactException.invalid(
              "`" + at + "`: unknown predicate `" + key + "`; known: " + KNOWN);
      }
    } catch (IllegalArgumentException ex) {
      throw DataPactException.invalid("`" + here + "`: " + ex.getMessage());
    }
  }

  private static List<Predicate> list(JsonNode v, String at) throws DataPactException {
    if (!v.isArray() || v.isEmpty()) {
      throw DataPactException.invalid("`" + at + "`: a non-empty array of predicates");
    }
    List<Predicate> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(parse(v.get(i), at + "[" + i + "]"));
    }
    return out;
  }

  private static String text(JsonNode v, String at) throws DataPactException {
    if (v == null || !v.isTextual()) {
      throw DataPactException.invalid("`" + at + "`: a string");
    }
    return v.asText();
  }

  /**
   * @return the JSON form of {@code p}
   */
  static JsonNode toJson(Predicate p) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    if (p instanceof Predicate.InCountry c) {
      o.put("country", c.country().value());
    } else if (p instanceof Predicate.InAgeBand a) {
      o.put("ageBand", a.band().wire());
    } else if (p instanceof Predicate.HasInterest i) {
      o.put("interest", i.interest().wire());
    } else if (p instanceof Predicate.Watched w) {
      o.putObject("watched").put("partner", w.partner().value()).put("genre", w.genre().wire());
    } else if (p instanceof Predicate.All a) {
      a.of().forEach(q -> o.withArray("and").add(toJson(q)));
    } else if (p instanceof Predicate.Any a) {
      a.of().forEach(q -> o.withArray("or").add(toJson(q)));
    } else {
      o.set("not", toJson(((Predicate.Not) p).of()));
    }
    return o;
  }
}
