package dev.svcmgr.units.systemd;

import dev.svcmgr.units.UnitType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code [Socket]}, {@code [Timer]} and {@code [Path]} sections mapped to svcmgr's keys (units.md "Sockets", "Timers", "Paths"). */
final class TriggerKeys {
    private static final Map<String, String> TIMER = Map.of("OnBootSec", "on-boot", "OnStartupSec", "on-boot", "OnActiveSec", "on-active",
            "OnUnitActiveSec", "on-unit-active", "OnUnitInactiveSec", "on-unit-inactive", "RandomizedDelaySec", "randomized-delay",
            "AccuracySec", "accuracy");
    private static final Map<String, String> PATH = Map.of("PathExists", "path-exists", "PathChanged", "path-changed",
            "PathModified", "path-modified", "DirectoryNotEmpty", "directory-not-empty");

    private final Acc acc;
    private String fdName;

    TriggerKeys(Acc acc) {
        this.acc = acc;
    }

    void key(IniFile.Entry e, UnitType type) {
        switch (type) {
            case SOCKET -> socket(e);
            case TIMER -> timer(e);
            case PATH -> path(e);
            default -> acc.unsupported(e, "svcmgr has no such setting");
        }
    }

    private void socket(IniFile.Entry e) {
        String k = e.key(), v = e.value();
        switch (k) {
            case "ListenStream", "ListenDatagram", "ListenFIFO" -> {
                if (v.isEmpty()) {
                    acc.reset("listen");
                    return;
                }
                String kind = listenKind(e);
                if (kind == null) return;
                String addr = kind.equals("tcp") || kind.equals("udp") ? (v.matches("[0-9]+") ? ":" + v : v) : v;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(kind, addr);
                acc.add("listen", m);
            }
            case "SocketMode" -> {
                String m = SystemdValues.mode(v);
                if (m == null) throw new IllegalArgumentException("expected an octal mode, got '" + IniFile.shown(v) + "'");
                acc.set("socket-mode", m);
            }
            case "SocketUser" -> acc.set("socket-user", v);
            case "SocketGroup" -> acc.set("socket-group", v);
            case "Backlog" -> {
                if (!v.matches("[0-9]+")) throw new IllegalArgumentException("expected a number, got '" + IniFile.shown(v) + "'");
                acc.set("backlog", Long.parseLong(v));
            }
            case "Service" -> acc.set("service", v);
            case "FileDescriptorName" -> fdName = v;
            case "Accept" -> {
                if (Boolean.TRUE.equals(Converter.bool(e)))
                    acc.unsupported(e, "yes: svcmgr passes the listening socket to one service (Accept=no); let the service accept,"
                            + " or run an accepting server (such as socat) as the service");
            }
            default -> acc.unsupported(e, "svcmgr's sockets have listen (tcp, unix, udp, fifo), socket-mode, socket-user, socket-group,"
                    + " backlog and service");
        }
    }

    /** tcp, unix, udp or fifo for a Listen*= value; null (with a warning) for what svcmgr cannot listen on. */
    private String listenKind(IniFile.Entry e) {
        String v = e.value();
        if (e.key().equals("ListenFIFO")) return "fifo";
        boolean stream = e.key().equals("ListenStream");
        if (v.startsWith("/")) {
            if (stream) return "unix";
            acc.unsupported(e, "Unix datagram sockets: svcmgr listens on udp, tcp, unix (stream) and fifo");
            return null;
        }
        if (v.startsWith("@") || v.startsWith("vsock:")) {
            acc.unsupported(e, "abstract and vsock sockets: use a path (unix:) or a tcp address");
            return null;
        }
        if (!v.matches("[0-9]+") && !v.matches(".*:[0-9]+")) throw new IllegalArgumentException("expected a port, ADDRESS:PORT or a path, got '" + v + "'");
        return stream ? "tcp" : "udp";
    }

    @SuppressWarnings("unchecked")
    void finishSocket() {
        if (fdName == null || !(acc.get("listen") instanceof List<?> l)) return;
        for (Object o : l) ((Map<String, Object>) o).put("name", fdName);
    }

    private void timer(IniFile.Entry e) {
        String k = e.key(), v = e.value();
        String key = TIMER.get(k);
        if (key != null) {
            if (v.isEmpty()) {
                acc.remove(key);
                return;
            }
            if (acc.get(key) != null && !k.startsWith("Randomized") && !k.startsWith("Accuracy"))
                acc.unsupported(e, "a second " + k + "=: svcmgr's " + key + " takes one duration; the last one is used");
            String d = SystemdValues.timespan(v, false);
            if (d == null) throw new IllegalArgumentException("expected a time span like 5min, got '" + IniFile.shown(v) + "'");
            acc.set(key, d);
            if (k.equals("OnBootSec"))
                acc.note(e, "written as on-boot, which counts from the manager's start (systemd's OnStartupSec=), not the kernel's boot");
            return;
        }
        switch (k) {
            case "OnCalendar" -> {
                if (v.isEmpty()) acc.reset("on-calendar");
                else acc.add("on-calendar", v);
            }
            case "Persistent" -> acc.set("persistent", Converter.bool(e));
            case "Unit" -> service(e);
            default -> acc.unsupported(e, "svcmgr's timers have on-calendar, on-boot, on-active, on-unit-active, on-unit-inactive,"
                    + " persistent, randomized-delay, accuracy and service");
        }
    }

    private void path(IniFile.Entry e) {
        String k = e.key(), v = e.value();
        String key = PATH.get(k);
        if (key != null) {
            if (v.isEmpty()) acc.reset(key);
            else acc.add(key, v);
            return;
        }
        switch (k) {
            case "Unit" -> service(e);
            case "PathExistsGlob" -> acc.unsupported(e, "svcmgr watches exact paths: use directory-not-empty on the directory");
            default -> acc.unsupported(e, "svcmgr's path units have path-exists, path-changed, path-modified, directory-not-empty,"
                    + " service and action");
        }
    }

    private void service(IniFile.Entry e) {
        if (!e.value().endsWith(".service")) {
            acc.unsupported(e, "svcmgr's timers and path units start a service; " + e.value() + " is not one");
            return;
        }
        acc.set("service", e.value());
    }
}
