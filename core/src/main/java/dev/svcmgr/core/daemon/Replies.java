package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.ErrorKind;

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

    /** {@code {"ok":false,"error":..., "exit":N, "error-kind":...}}. */
    public static Map<String, Object> error(ErrorKind kind, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", message);
        m.put("exit", kind == ErrorKind.NOT_FOUND ? 4 : 1);
        m.put("error-kind", kind.word());
        return m;
    }
}
