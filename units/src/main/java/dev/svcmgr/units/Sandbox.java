package dev.svcmgr.units;

import java.util.List;

/** Best-effort sandboxing; {@code required} makes an unappliable setting fail the start. */
public record Sandbox(boolean required, boolean noNewPrivileges, boolean privateTmp, boolean privateNetwork,
                      String rootDirectory, List<String> readOnlyPaths) {
    public static final Sandbox NONE = new Sandbox(false, false, false, false, null, List.of());

    public boolean isEmpty() {
        return !noNewPrivileges && !privateTmp && !privateNetwork && rootDirectory == null && readOnlyPaths.isEmpty();
    }
}
