package dev.svcmgr.core.daemon;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builders for control-protocol replies (docs/protocol.md). */
public final class Replies {
    private Replies() {}

    /** {@code {"ok":true, ...fields}}. */
    public static Map<String, Object> ok(Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("exit", 0);
        m.putAll(fields);
        return m;
    }

    public static Map<String, Object> ok() { return ok(Map.of()); }

    /** {@code {"ok":false,"error":..., "exit":N}}. */
    public static Map<String, Object> error(String message, int exit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", message);
        m.put("exit", exit);
        return m;
    }
}
