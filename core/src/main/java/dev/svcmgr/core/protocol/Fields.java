package dev.svcmgr.core.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of one JSON object's fields, for the records' {@code fromJson}. A field of the
 * wrong type is a {@link BadRequest} naming it; an absent field or null is the default. The same
 * reads serve the daemon (a malformed request is the client's error) and the client (a reply it
 * cannot read is reported as such by the client).
 */
final class Fields {
    private final Map<String, Object> m;

    Fields(Map<String, Object> m) { this.m = m; }

    boolean has(String key) { return m.containsKey(key); }

    Object raw(String key) { return m.get(key); }

    List<String> strings(String key) {
        Object o = m.get(key);
        if (o == null) return List.of();
        if (!(o instanceof List<?> l)) throw new BadRequest("\"" + key + "\" must be a list of strings");
        List<String> out = new ArrayList<>(l.size());
        for (Object x : l) {
            if (!(x instanceof String s)) throw new BadRequest("\"" + key + "\" must be a list of strings");
            out.add(s);
        }
        return out;
    }

    /** A list of strings that may hold null (a state with no value). */
    List<String> nullableStrings(String key) {
        Object o = m.get(key);
        if (o == null) return null;
        if (!(o instanceof List<?> l)) throw new BadRequest("\"" + key + "\" must be a list of strings");
        List<String> out = new ArrayList<>(l.size());
        for (Object x : l) {
            if (x != null && !(x instanceof String)) throw new BadRequest("\"" + key + "\" must be a list of strings");
            out.add((String) x);
        }
        return out;
    }

    /**
     * The names in {@code "units"}: at least one when {@code required}, at most {@link
     * Request#MAX_NAMES}. Whether each is a valid unit name is for the daemon to check.
     */
    List<String> names(boolean required) {
        List<String> raw = strings("units");
        if (required && raw.isEmpty()) throw new BadRequest("\"units\" must name at least one unit");
        if (raw.size() > Request.MAX_NAMES) {
            throw new BadRequest("too many units in one request: " + raw.size() + " (at most " + Request.MAX_NAMES
                    + "); ask in several requests");
        }
        return raw;
    }

    boolean flag(String key, boolean dflt) {
        Object o = m.get(key);
        if (o == null) return dflt;
        if (!(o instanceof Boolean b)) throw new BadRequest("\"" + key + "\" must be true or false");
        return b;
    }

    boolean flag(String key) { return flag(key, false); }

    String string(String key) {
        Object o = m.get(key);
        if (o == null) return null;
        if (!(o instanceof String s)) throw new BadRequest("\"" + key + "\" must be a string");
        return s;
    }

    /** A string that must be there. */
    String required(String key) {
        String s = string(key);
        if (s == null) throw new BadRequest("\"" + key + "\" is missing");
        return s;
    }

    Long number(String key) {
        Object o = m.get(key);
        if (o == null) return null;
        if (!(o instanceof Long n)) throw new BadRequest("\"" + key + "\" must be a whole number");
        return n;
    }

    long number(String key, long dflt) {
        Long n = number(key);
        return n == null ? dflt : n;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key) {
        Object o = m.get(key);
        if (o == null) return null;
        if (!(o instanceof Map<?, ?>)) throw new BadRequest("\"" + key + "\" must be an object");
        return (Map<String, Object>) o;
    }

    /** Every element of the list {@code key} (absent: none) as an object's fields. */
    List<Fields> objects(String key) {
        Object o = m.get(key);
        if (o == null) return List.of();
        if (!(o instanceof List<?> l)) throw new BadRequest("\"" + key + "\" must be a list of objects");
        List<Fields> out = new ArrayList<>(l.size());
        for (Object x : l) {
            if (!(x instanceof Map<?, ?>)) throw new BadRequest("\"" + key + "\" must be a list of objects");
            @SuppressWarnings("unchecked") Map<String, Object> xm = (Map<String, Object>) x;
            out.add(new Fields(xm));
        }
        return out;
    }

    /** The object {@code key} as fields; an error when it is absent. */
    Fields fields(String key) {
        Map<String, Object> o = object(key);
        if (o == null) throw new BadRequest("\"" + key + "\" is missing");
        return new Fields(o);
    }

    /** A map of strings to strings ({@code {"a.service":"active"}}). */
    Map<String, String> stringMap(String key) {
        Map<String, Object> o = object(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (o == null) return out;
        for (Map.Entry<String, Object> e : o.entrySet()) {
            if (!(e.getValue() instanceof String s)) throw new BadRequest("\"" + key + "\" must map names to strings");
            out.put(e.getKey(), s);
        }
        return out;
    }

    /** A new object to write, keys in the order they are put. */
    static Map<String, Object> object() { return new LinkedHashMap<>(); }

    /** {@code {"ok":true}} to add a reply's fields to. */
    static Map<String, Object> ok() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        return m;
    }
}
