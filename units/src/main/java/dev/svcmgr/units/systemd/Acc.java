package dev.svcmgr.units.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The svcmgr keys one systemd file converts to, as it is read: {@code path} is a top-level key
 * ({@code after}) or a key in a map ({@code install.wanted-by}). Lists append; {@link #reset}
 * empties a list or map the way systemd's empty assignment does and remembers it, so that a
 * drop-in can say so ({@code after: []}) to the unit it is merged over. Also collects the
 * located warnings.
 */
final class Acc {
    final Map<String, Object> top = new LinkedHashMap<>();
    final Set<String> resets = new LinkedHashSet<>();
    final List<Converter.Warning> warnings = new ArrayList<>();

    void set(String path, Object value) {
        Map<String, Object> m = parent(path, true);
        m.put(leaf(path), value);
    }

    Object get(String path) {
        Map<String, Object> m = parent(path, false);
        return m == null ? null : m.get(leaf(path));
    }

    void remove(String path) {
        Map<String, Object> m = parent(path, false);
        if (m != null) {
            m.remove(leaf(path));
            if (m.isEmpty() && path.contains(".")) top.remove(path.substring(0, path.indexOf('.')));
        }
    }

    @SuppressWarnings("unchecked")
    void add(String path, Object item) {
        Map<String, Object> m = parent(path, true);
        Object l = m.get(leaf(path));
        if (!(l instanceof List<?>)) {
            l = new ArrayList<>();
            m.put(leaf(path), l);
        }
        ((List<Object>) l).add(item);
    }

    /** Empties a list or map key (systemd's {@code Key=}): earlier values are gone, and a drop-in says so. */
    void reset(String path) {
        remove(path);
        resets.add(path);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parent(String path, boolean make) {
        int dot = path.indexOf('.');
        if (dot < 0) return top;
        String k = path.substring(0, dot);
        Object m = top.get(k);
        if (!(m instanceof Map<?, ?>)) {
            if (!make) return null;
            m = new LinkedHashMap<String, Object>();
            top.put(k, m);
        }
        return (Map<String, Object>) m;
    }

    private static String leaf(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    void unsupported(IniFile.Entry e, String instead) {
        warnings.add(new Converter.Warning(e.line(), e.key(), "not supported: " + instead));
    }

    void note(IniFile.Entry e, String text) {
        warnings.add(new Converter.Warning(e.line(), e.key(), text));
    }
}
