package dev.svcmgr.units.systemd;

import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitType;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code svcmgr import}'s work without the writing: each argument (a unit file such as
 * {@code nginx.service}, a drop-in {@code NAME.d/x.conf}, or a drop-in directory {@code NAME.d})
 * becomes the files to write under the output directory, {@code NAME.yaml} for a unit and
 * {@code NAME.d/x.yaml} for a drop-in (with {@code NAME.d/x-reset.yaml} first when the drop-in
 * empties a list and adds to it), plus the warnings, each naming the file as given.
 */
public final class Importer {
    /** A file to write: where, and its text. */
    public record Output(Path path, String text) {}

    /**
     * @param outputs  what to write, in argument order
     * @param warnings {@code file:line: Key= ...} lines
     * @param errors   one line per argument that could not be read or parsed
     */
    public record Outcome(List<Output> outputs, List<String> warnings, List<String> errors) {}

    private Importer() {}

    /** Converts every argument; never throws for bad input (it is in {@link Outcome#errors}). */
    public static Outcome run(List<String> args, Path outDir, Specifiers.Host host) {
        List<Output> outputs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String arg : args) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                String dn = p.getFileName() == null ? "" : p.getFileName().toString();
                if (!dn.endsWith(".d")) {
                    errors.add(arg + ": a directory; give unit files or a NAME.d drop-in directory");
                    continue;
                }
                Map<String, Path> confs = new TreeMap<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.conf")) {
                    for (Path c : ds) confs.put(c.getFileName().toString(), c);
                } catch (IOException e) {
                    errors.add(arg + ": cannot read: " + message(e));
                    continue;
                }
                if (confs.isEmpty()) errors.add(arg + ": no *.conf drop-in in it");
                for (var c : confs.entrySet())
                    one(arg.endsWith("/") ? arg + c.getKey() : arg + "/" + c.getKey(), c.getValue(), outDir, host, outputs, warnings, errors);
                continue;
            }
            one(arg, p, outDir, host, outputs, warnings, errors);
        }
        return new Outcome(List.copyOf(outputs), List.copyOf(warnings), List.copyOf(errors));
    }

    private static void one(String shown, Path p, Path outDir, Specifiers.Host host, List<Output> outputs, List<String> warnings,
                            List<String> errors) {
        String fn = p.getFileName() == null ? "" : p.getFileName().toString();
        boolean dropIn = fn.endsWith(".conf");
        String unit;
        if (dropIn) {
            Path parent = p.toAbsolutePath().getParent();
            String dn = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
            if (!dn.endsWith(".d")) {
                errors.add(shown + ": a .conf drop-in must be in a NAME.d directory (its unit's name)");
                return;
            }
            unit = dn.substring(0, dn.length() - 2);
        } else {
            unit = fn;
        }
        String why = null;
        int dot = unit.lastIndexOf('.');
        if (UnitType.ofName(unit) == null)
            why = dot < 0 ? "no unit type (expected .service, .target, .socket, .timer or .path)"
                    : "svcmgr has no " + unit.substring(dot) + " units (it converts .service, .target, .socket, .timer and .path)";
        if (why == null) why = UnitNames.problem(unit);
        if (why != null) {
            errors.add(shown + ": cannot convert '" + unit + "': " + why);
            return;
        }
        if (!dropIn && Files.isSymbolicLink(p)) { // systemd's aliases (sshd.service -> ssh.service) and masks (-> /dev/null)
            try {
                Path real = p.toRealPath();
                String rn = real.getFileName() == null ? "" : real.getFileName().toString();
                if (real.toString().equals("/dev/null")) {
                    warnings.add(shown + ": masked (a symlink to /dev/null): not converted; run 'svcmgr mask " + unit + "' instead");
                    return;
                }
                if (!rn.equals(unit) && UnitType.ofName(rn) == UnitType.ofName(unit)) {
                    warnings.add(shown + ": an alias of " + real + ": not converted; import " + real + " and add " + unit
                            + " to its aliases: (its Alias= does that)");
                    return;
                }
            } catch (IOException e) {
                errors.add(shown + ": cannot read: " + message(e));
                return;
            }
        }
        byte[] bytes;
        try {
            // the loader's bounded reader: a FIFO or a device is refused, never read without end
            if (!Files.exists(p)) throw new java.nio.file.NoSuchFileException(p.toString());
            bytes = dev.svcmgr.units.load.UnitFileReader.PLAIN.read(p, IniFile.MAX_BYTES + 1);
            if (bytes.length > IniFile.MAX_BYTES) {
                errors.add(shown + ": file larger than 1 MiB; not read");
                return;
            }
        } catch (IOException e) {
            errors.add(shown + ": cannot read: " + message(e));
            return;
        }
        IniFile ini;
        try {
            ini = IniFile.parse(bytes);
        } catch (IniFile.SyntaxError e) {
            errors.add(shown + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
            return;
        }
        Converter.Result r = Converter.convert(unit, ini, dropIn, host);
        for (Converter.Warning w : r.warnings()) warnings.add(w.format(shown));
        String header = "# converted by svcmgr import from " + p.toAbsolutePath().normalize() + "\n";
        if (dropIn) {
            Path dir = outDir.resolve(unit + ".d");
            String stem = fn.substring(0, fn.length() - ".conf".length());
            if (!r.resetsFirst().isEmpty())
                outputs.add(new Output(dir.resolve(stem + "-reset.yaml"), header + "# the empty assignments of " + fn
                        + " (merged before " + stem + ".yaml)\n" + YamlWriter.write(r.resetsFirst())));
            outputs.add(new Output(dir.resolve(stem + ".yaml"), header + YamlWriter.write(r.keys())));
        } else {
            outputs.add(new Output(outDir.resolve(unit + ".yaml"), header + YamlWriter.write(r.keys())));
        }
    }

    private static String message(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
