package dev.svcmgr.units.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * systemd's {@code %} specifiers (systemd.unit(5) "Specifiers") for one unit. In a template,
 * {@code %i}, {@code %n} and {@code %N} stay (svcmgr expands them per instance) and {@code %%}
 * stays {@code %%}; elsewhere names are resolved and {@code %%} is a plain {@code %}. The
 * directories ({@code %t %S %C %L %E %T %V %h}) and the manager's user ({@code %u %U %g %G %s})
 * are resolved to the paths and names of the manager that will run the unit (root's, or this
 * user's); host facts ({@code %H %l %m %v %a}) are resolved now with a warning; the rest are
 * kept as literal text with a warning.
 */
public final class Specifiers {
    /** Where the converted unit will run: root's manager or a user's. */
    public record Host(boolean root, Map<String, String> env) {
        String home() {
            if (root) return "/root";
            String h = env.get("HOME");
            return h != null && !h.isEmpty() ? h : System.getProperty("user.home");
        }

        String xdg(String var, String fallback) {
            String v = env.get(var);
            return v != null && v.startsWith("/") ? v : home() + "/" + fallback;
        }
    }

    private final String name;
    private final boolean template;
    private final Host host;

    /** @param name the unit's full name ({@code getty@.service}, {@code nginx.service}) */
    public Specifiers(String name, Host host) {
        this.name = name;
        this.template = name.contains("@.");
        this.host = host;
    }

    /** True for a template ({@code name@.type}). */
    public boolean template() { return template; }

    /** {@code value} with its specifiers resolved; each specifier that needs a word is reported to {@code notes}. */
    public String expand(String value, List<String> notes) {
        if (value.indexOf('%') < 0) return value;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%' || i + 1 >= value.length()) {
                b.append(c);
                continue;
            }
            char s = value.charAt(++i);
            b.append(one(s, notes));
        }
        return b.toString();
    }

    private String literal(char s) { return (template ? "%%" : "%") + s; }

    private String one(char s, List<String> notes) {
        String type = name.substring(name.lastIndexOf('.') + 1);
        String noType = name.substring(0, name.length() - type.length() - 1);
        int at = noType.indexOf('@');
        String prefix = at < 0 ? noType : noType.substring(0, at);
        String instance = at < 0 ? "" : noType.substring(at + 1);
        switch (s) {
            case '%': return template ? "%%" : "%";
            case 'n': return template ? "%n" : name;
            case 'N': return template ? "%N" : noType;
            case 'i': return template ? "%i" : instance;
            case 'I':
                if (!template) return unescape(instance);
                notes.add("%I (the unescaped instance) is written as %i: svcmgr does not unescape instance names");
                return "%i";
            case 'p': return prefix;
            case 'P': return unescape(prefix);
            case 'j': return prefix.substring(prefix.lastIndexOf('-') + 1);
            case 'J': return unescape(prefix.substring(prefix.lastIndexOf('-') + 1));
            case 'f':
                if (!template) return "/" + unescape(at < 0 ? prefix : instance);
                notes.add("%f is written as /%i: svcmgr does not unescape instance names");
                return "/%i";
            case 't': return host.root ? "/run" : host.env.getOrDefault("XDG_RUNTIME_DIR", "/run/user/" + uid());
            case 'S': return host.root ? "/var/lib" : host.xdg("XDG_STATE_HOME", ".local/state");
            case 'C': return host.root ? "/var/cache" : host.xdg("XDG_CACHE_HOME", ".cache");
            case 'L': return host.root ? "/var/log" : host.xdg("XDG_STATE_HOME", ".local/state") + "/log";
            case 'E': return host.root ? "/etc" : host.xdg("XDG_CONFIG_HOME", ".config");
            case 'T': return "/tmp";
            case 'V': return "/var/tmp";
            case 'h': return host.home();
            case 'u': return host.root ? "root" : System.getProperty("user.name");
            case 'U': return host.root ? "0" : uid();
            case 'g': return host.root ? "root" : System.getProperty("user.name");
            case 'G': return host.root ? "0" : gid();
            case 's': return "/bin/sh";
            case 'H', 'l', 'm', 'v', 'a': {
                String v = hostFact(s);
                if (v == null) break;
                notes.add("%" + s + " resolved now to '" + v + "' (svcmgr has no specifiers beyond %i, %n, %N)");
                return v;
            }
            default: break;
        }
        notes.add("%" + s + " kept as the text %" + s + " (svcmgr has no such specifier; write the value itself)");
        return literal(s);
    }

    private static String hostFact(char s) {
        return switch (s) {
            case 'H' -> read("/proc/sys/kernel/hostname");
            case 'l' -> {
                String h = read("/proc/sys/kernel/hostname");
                yield h == null ? null : h.split("\\.", 2)[0];
            }
            case 'm' -> read("/etc/machine-id");
            case 'v' -> read("/proc/sys/kernel/osrelease");
            case 'a' -> {
                String a = System.getProperty("os.arch");
                yield "amd64".equals(a) ? "x86-64" : "aarch64".equals(a) ? "arm64" : a;
            }
            default -> null;
        };
    }

    private static String read(String p) {
        try {
            String s = Files.readString(Path.of(p)).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String uid() { return idOf("unix:uid"); }

    private static String gid() { return idOf("unix:gid"); }

    private static String idOf(String attr) {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), attr));
        } catch (IOException | RuntimeException e) {
            return "0";
        }
    }

    /** systemd's unit name unescaping: {@code -} is {@code /}, {@code \xNN} a byte. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') b.append('/');
            else if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x' && s.substring(i + 2, i + 4).matches("[0-9a-fA-F]{2}")) {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else b.append(c);
        }
        return b.toString();
    }
}
