package dev.svcmgr.units.load;

import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Origin;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.UnitType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads unit directories into a closed {@link UnitSet} (units.md).
 *
 * <p>Directories are searched in the order given: the first file with a name wins.
 * A symlink {@code a.target.yaml -> b.target.yaml} makes {@code a.target} an alias of
 * {@code b.target}; a symlink to {@code /dev/null} masks the name. Every {@code *.yaml}
 * in {@code <unit>.d/} of any directory is merged over the unit in byte order of the
 * file names (the higher-precedence directory wins for the same file name); a
 * template's drop-ins apply to its instances. Templates ({@code getty@.service.yaml})
 * are instantiated for every instance named anywhere, and on demand by
 * {@link UnitSet#lookup}.
 *
 * <p>Loading never stops at the first problem: each unit collects all of its problems,
 * a unit with an error is kept as {@link LoadState#BAD_SETTING}, and a name that no
 * unit defines or provides gets a {@link LoadState#NOT_FOUND} stand-in so that the set
 * is closed over every name a relation mentions. Unresolved {@code requires},
 * {@code requisite} and {@code binds-to} are errors; other unresolved names are warnings.
 */
public final class UnitLoader {
    /** Most template instances made while loading (guards against templates that name ever-longer instances). */
    static final int MAX_INSTANCES = 10_000;
    private static final String INSTANCE_PLACEHOLDER = "instance";
    /** systemd unit files that may sit in a unit directory by mistake ({@code verify} names {@code svcmgr import}). */
    private static final java.util.regex.Pattern SYSTEMD_SUFFIX = java.util.regex.Pattern.compile(".+\\.(service|target|socket|timer|path)");

    private UnitLoader() {}

    /** The default unit directories for this process's environment; see {@link #defaultDirs(Map)}. */
    public static List<Path> defaultDirs() {
        return defaultDirs(System.getenv());
    }

    /**
     * The default unit directories: root (uid 0) {@code /etc/svcmgr/units}, {@code /usr/lib/svcmgr/units};
     * others {@code $XDG_CONFIG_HOME/svcmgr/units} (when set and absolute), else
     * {@code $HOME/.config/svcmgr/units} ({@code $HOME} when set, else the {@code user.home} property).
     */
    public static List<Path> defaultDirs(Map<String, String> env) {
        if (isRoot()) return List.of(Path.of("/etc/svcmgr/units"), Path.of("/usr/lib/svcmgr/units"));
        return List.of(userDir(env));
    }

    /** A non-root user's unit directory: {@code $XDG_CONFIG_HOME/svcmgr/units}, else {@code $HOME/.config/svcmgr/units}. */
    static Path userDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home(env).resolve(".config");
        return base.resolve("svcmgr").resolve("units");
    }

    private static Path home(Map<String, String> env) {
        String h = env.get("HOME");
        return Path.of(h != null && !h.isEmpty() ? h : System.getProperty("user.home"));
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Loads every unit of {@code dirs} (highest precedence first). Never throws for bad input: problems are in the set. */
    public static UnitSet load(List<Path> dirs) {
        return load(dirs, UnitFileReader.PLAIN);
    }

    /**
     * Loads every unit of {@code dirs}, reading each file through {@code reader} (the daemon's cannot
     * block on a FIFO). Never throws for bad input: problems are in the set.
     */
    public static UnitSet load(List<Path> dirs, UnitFileReader reader) {
        return new UnitLoader.Run(dirs, reader, READERS).run();
    }

    /** As {@link #load(List, UnitFileReader)}, with at most {@code readers} threads reading files (tests: 1 reads them in turn). */
    static UnitSet load(List<Path> dirs, UnitFileReader reader, int readers) {
        return new UnitLoader.Run(dirs, reader, readers).run();
    }

    /** A name one unit mentions: in a relation ({@code kind}) or an install entry ({@code kind} null). */
    private record Ref(String to, String key, Origin origin, DepKind kind) {}

    /** A unit file found in a directory. */
    private record Source(String name, Path path, boolean symlink) {}

    /** One compiled unit before names are resolved. */
    private static final class Built {
        String name;
        UnitType type;
        UnitCompiler.Compiled c;
        Report report;
        boolean bad;
        boolean masked;
        String fragmentPath;
        List<String> dropIns = List.of();
    }

    /** Threads that read and parse unit files at once (with the loader's own), and the least files for each. */
    private static final int READERS = 4;
    private static final int PER_READER = 32;

    private static final class Run {
        private final List<Path> dirs;
        private final Map<String, Source> sources = new TreeMap<>();
        private final Map<String, Map<String, Path>> dropInDirs = new HashMap<>();
        private final Map<String, String> aliases = new TreeMap<>();
        private final Map<String, Origin> aliasOrigins = new HashMap<>();
        private final Set<String> masked = new java.util.TreeSet<>();
        private final List<Problem> dirProblems = new ArrayList<>();
        private final Map<String, YamlFile> parsed = new HashMap<>();
        private final Map<String, YamlFile> templates = new TreeMap<>();
        private final Map<String, Built> units = new TreeMap<>();
        private final Map<String, Unit> notFound = new TreeMap<>();
        private final List<Problem> templateProblems = new ArrayList<>();
        private final UnitFileReader reader;
        /** Files read that not every user may read (their problems get a kind without their contents). */
        private final Set<String> restricted = new java.util.HashSet<>();
        /** Directories that every user may search, by path (see {@link #everyoneMayRead}). */
        private final Map<Path, Boolean> searchable = new java.util.concurrent.ConcurrentHashMap<>();

        private final int readers;

        Run(List<Path> dirs, UnitFileReader reader, int readers) {
            this.dirs = List.copyOf(dirs);
            this.reader = reader;
            this.readers = readers;
        }

        UnitSet run() {
            for (Path d : dirs) scan(d);
            resolveSymlinks();
            List<Path> toRead = new ArrayList<>();
            for (Source s : sources.values()) if (!masked.contains(s.name) && !aliases.containsKey(s.name)) toRead.add(s.path);
            readAhead(toRead);
            for (Source s : sources.values()) {
                if (masked.contains(s.name) || aliases.containsKey(s.name)) continue;
                YamlFile f = file(s.path);
                if (UnitNames.isTemplate(s.name)) templates.put(s.name, f);
                else units.put(s.name, build(s.name, null, f));
            }
            for (String m : masked) units.put(m, maskedUnit(m));
            for (var e : templates.entrySet()) {
                String t = e.getKey();
                String inst = UnitNames.stem(t) + INSTANCE_PLACEHOLDER + "." + UnitType.ofName(t).suffix();
                Built b = build(inst, INSTANCE_PLACEHOLDER, e.getValue());
                for (Problem p : b.report.problems())
                    templateProblems.add(new Problem(p.severity(), t, p.file(), p.line(), p.column(), p.key(), p.message(), p.kind()));
            }
            for (String n : dropInDirs.keySet()) {
                if (dropInDirs.get(n).isEmpty()) continue;
                if ((!sources.containsKey(n) || aliases.containsKey(n)) && UnitNames.templateOf(n) == null && !masked.contains(n)) {
                    Path first = dropInDirs.get(n).values().iterator().next();
                    dirProblems.add(new Problem(Severity.WARNING, n, first.getParent().toString(), 0, 0, null,
                            aliases.containsKey(n)
                                    ? "drop-in directory for '" + n + "', which is an alias of " + aliases.get(n) + "; ignored (put drop-ins in "
                                            + aliases.get(n) + ".d)"
                                    : "drop-in directory for '" + n + "', but no unit file " + n + ".yaml; ignored"));
                }
            }
            registerAliases();
            Map<String, List<String>> providers = providers();
            close(providers);
            return assemble(providers);
        }

        // ---- directories ----------------------------------------------------------------------

        private void scan(Path dir) {
            if (!Files.isDirectory(dir)) return;
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) entries.add(p);
            } catch (IOException e) {
                dirProblems.add(new Problem(Severity.ERROR, null, dir.toString(), 0, 0, null,
                        "cannot read unit directory: " + YamlFile.ioMessage(e)));
                return;
            }
            entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
            for (Path p : entries) {
                String fn = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    if (fn.endsWith(".d")) {
                        String unit = fn.substring(0, fn.length() - 2);
                        if (UnitNames.problem(unit) == null) scanDropIns(unit, p);
                    }
                    continue;
                }
                if (!fn.endsWith(".yaml")) {
                    if (SYSTEMD_SUFFIX.matcher(fn).matches())
                        dirProblems.add(new Problem(Severity.WARNING, null, p.toString(), 0, 0, null, "a systemd unit file, not read (svcmgr"
                                + " reads NAME.yaml); convert it with 'svcmgr import " + p + " --output " + dir + "'"));
                    continue;
                }
                String name = fn.substring(0, fn.length() - 5);
                String why = UnitNames.problem(name);
                if (why != null) {
                    dirProblems.add(new Problem(Severity.ERROR, null, p.toString(), 0, 0, null, "invalid unit file name: " + why));
                    continue;
                }
                sources.putIfAbsent(name, new Source(name, p, Files.isSymbolicLink(p)));
            }
        }

        private void scanDropIns(String unit, Path d) {
            Map<String, Path> m = dropInDirs.computeIfAbsent(unit, k -> new TreeMap<>(UnitLoader::byteOrder));
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "*.{yaml,conf}")) {
                for (Path p : ds) {
                    String fn = p.getFileName().toString();
                    if (fn.endsWith(".yaml")) m.putIfAbsent(fn, p);
                    else dirProblems.add(new Problem(Severity.WARNING, unit, p.toString(), 0, 0, null, "a systemd drop-in, not read"
                            + " (svcmgr reads *.yaml); convert it with 'svcmgr import " + p + " --output " + d.getParent() + "'"));
                }
            } catch (IOException e) {
                dirProblems.add(new Problem(Severity.ERROR, unit, d.toString(), 0, 0, null, "cannot read drop-in directory: " + YamlFile.ioMessage(e)));
            }
        }

        private void resolveSymlinks() {
            for (Source s : List.copyOf(sources.values())) {
                if (!s.symlink) continue;
                Path real;
                try {
                    real = s.path.toRealPath();
                } catch (IOException e) {
                    dirProblems.add(new Problem(Severity.ERROR, s.name, s.path.toString(), 0, 0, null,
                            "broken symlink (" + YamlFile.ioMessage(e) + ")"));
                    sources.remove(s.name);
                    continue;
                }
                if (real.equals(Path.of("/dev/null"))) {
                    masked.add(s.name);
                    continue;
                }
                String fn = real.getFileName().toString();
                String target = fn.endsWith(".yaml") ? fn.substring(0, fn.length() - 5) : null;
                if (target == null || target.equals(s.name)) continue; // a link to the unit's own file elsewhere
                String why = UnitNames.problem(target);
                if (why == null && UnitType.ofName(target) != UnitType.ofName(s.name)) why = "it has another type";
                if (why == null && (UnitNames.isTemplate(target) || UnitNames.isTemplate(s.name))) why = "template aliases are not supported";
                if (why != null) {
                    dirProblems.add(new Problem(Severity.ERROR, s.name, s.path.toString(), 0, 0, null,
                            "symlink points to " + real + ", which cannot be an alias of " + s.name + ": " + why));
                    sources.remove(s.name);
                    continue;
                }
                aliases.put(s.name, target);
                aliasOrigins.put(s.name, new Origin(s.path.toString(), 0, 0, null, "symlink to " + target));
                sources.putIfAbsent(target, new Source(target, real, false));
            }
            // chains of symlinked aliases resolve to their final name
            for (var e : aliases.entrySet()) {
                String t = e.getValue();
                for (int i = 0; i < 32 && aliases.containsKey(t); i++) t = aliases.get(t);
                e.setValue(t);
            }
        }

        private YamlFile file(Path p) {
            return parsed.computeIfAbsent(p.toString(), k -> {
                boolean r = !everyoneMayRead(p);
                if (r) restricted.add(k);
                return YamlFile.read(p, reader, r);
            });
        }

        /**
         * Reads and parses the files at {@code paths} on up to {@link #READERS} threads, for {@link #file}
         * to find: reading and parsing each file is independent of the others, and it was most of a
         * daemon's start before its first service (0.39 of 0.58 s of CPU at 1,000 units,
         * docs/benchmarks.md, issue 13). A few files are read on this thread, as before.
         */
        private void readAhead(List<Path> paths) {
            int threads = Math.min(readers, Runtime.getRuntime().availableProcessors());
            if (threads < 2 || paths.size() < 2 * PER_READER) return;
            threads = Math.min(threads, paths.size() / PER_READER);
            YamlFile[] files = new YamlFile[paths.size()];
            boolean[] closed = new boolean[paths.size()];
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            Runnable work = () -> {
                try {
                    for (int i; (i = next.getAndIncrement()) < files.length && failed.get() == null; ) {
                        Path p = paths.get(i);
                        closed[i] = !everyoneMayRead(p);
                        files[i] = YamlFile.read(p, reader, closed[i]);
                    }
                } catch (RuntimeException | Error e) {
                    failed.compareAndSet(null, e);
                }
            };
            List<Thread> helpers = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                Thread h = new Thread(work, "svcmgr-load-" + t);
                h.setDaemon(true);
                try {
                    h.start();
                } catch (OutOfMemoryError | RuntimeException noThread) {
                    break; // at a task limit (a container's pids.max, RLIMIT_NPROC): the files are read here
                }
                helpers.add(h);
            }
            work.run();
            for (Thread h : helpers) {
                boolean interrupted = false;
                while (true) {
                    try {
                        h.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
            }
            Throwable f = failed.get();
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            for (int i = 0; i < files.length; i++) {
                if (files[i] == null) continue;
                String k = paths.get(i).toString();
                if (parsed.putIfAbsent(k, files[i]) == null && closed[i]) restricted.add(k);
            }
        }

        /**
         * True when every user may read {@code p}: the file it resolves to has the read bit for others
         * and every directory above that file the search bit for others. Unknown counts as no.
         */
        private boolean everyoneMayRead(Path p) {
            try {
                Path real = p.toRealPath();
                if (((Integer) Files.getAttribute(real, "unix:mode") & 04) == 0) return false;
                for (Path d = real.getParent(); d != null; d = d.getParent()) {
                    Boolean ok = searchable.get(d);
                    if (ok == null) {
                        ok = ((Integer) Files.getAttribute(d, "unix:mode") & 01) != 0;
                        searchable.put(d, ok);
                    }
                    if (!ok) return false;
                }
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        // ---- compiling -----------------------------------------------------------------------

        private Built build(String name, String instance, YamlFile main) {
            Built b = new Built();
            b.name = name;
            b.type = UnitType.ofName(name);
            b.report = new Report(name, restricted);
            b.fragmentPath = main.file;
            Map<String, Path> dropIns = new TreeMap<>(UnitLoader::byteOrder);
            String template = UnitNames.templateOf(name);
            if (instance != null && template != null) dropIns.putAll(dropInDirs.getOrDefault(template, Map.of()));
            if (instance == null || !name.contains("@" + INSTANCE_PLACEHOLDER + ".") ) dropIns.putAll(dropInDirs.getOrDefault(name, Map.of()));
            List<String> dropInPaths = new ArrayList<>();
            Schema.Tree tree = new Schema.Tree();
            b.report.addAll(main.problems);
            if (main.ok()) Schema.merge(main.file, main.root, Schema.topLevel(b.type), tree, "", b.type, b.report);
            for (Path p : dropIns.values()) {
                YamlFile d = file(p);
                dropInPaths.add(d.file);
                b.report.addAll(d.problems);
                if (d.ok()) Schema.merge(d.file, d.root, Schema.topLevel(b.type), tree, "", b.type, b.report);
            }
            b.dropIns = List.copyOf(dropInPaths);
            if (main.ok()) b.c = UnitCompiler.compile(name, b.type, instance, tree, b.report, main.file);
            else b.c = new UnitCompiler.Compiled();
            b.bad = b.report.hasErrors();
            return b;
        }

        private Built maskedUnit(String name) {
            Built b = new Built();
            b.name = name;
            b.type = UnitType.ofName(name);
            b.report = new Report(name);
            b.c = new UnitCompiler.Compiled();
            b.masked = true;
            b.fragmentPath = sources.get(name).path.toString();
            return b;
        }

        private Built instantiate(String name) {
            String template = UnitNames.templateOf(name);
            YamlFile f = template == null ? null : templates.get(template);
            if (f == null || UnitNames.problem(name) != null) return null;
            Built b = build(name, UnitNames.instanceOf(name), f);
            b.fragmentPath = f.file;
            return b;
        }

        // ---- names ---------------------------------------------------------------------------

        private void registerAliases() {
            for (Built b : units.values()) {
                for (int i = 0; i < b.c.aliases.size(); i++) {
                    String a = b.c.aliases.get(i);
                    Origin o = b.c.aliasOrigins.get(i);
                    String why = null;
                    if (units.containsKey(a) || sources.containsKey(a) && !aliases.containsKey(a)) why = "'" + a + "' is already the name of a unit";
                    else if (aliases.containsKey(a) && !aliases.get(a).equals(b.name)) why = "'" + a + "' is already an alias of " + aliases.get(a);
                    if (why != null) {
                        b.report.add(Severity.ERROR, o.file(), o.line(), o.column(), "aliases", "aliases: " + why);
                        continue;
                    }
                    aliases.put(a, b.name);
                    aliasOrigins.putIfAbsent(a, o);
                }
            }
        }

        private Map<String, List<String>> providers() {
            Map<String, List<String>> out = new TreeMap<>();
            for (Built b : units.values()) {
                for (int i = 0; i < b.c.provides.size(); i++) {
                    String p = b.c.provides.get(i);
                    Origin o = b.c.providesOrigins.get(i);
                    if (units.containsKey(p) || aliases.containsKey(p)) {
                        b.report.add(Severity.WARNING, o.file(), o.line(), o.column(), "provides",
                                "provides: '" + p + "' is the name of a unit; the unit is used, not this provider");
                        continue;
                    }
                    List<String> l = out.computeIfAbsent(p, k -> new ArrayList<>());
                    if (!l.contains(b.name)) l.add(b.name);
                }
            }
            return out;
        }

        /** Instantiates every template instance named anywhere and records every unresolved name. */
        private void close(Map<String, List<String>> providers) {
            Deque<String> work = new ArrayDeque<>(units.keySet());
            Set<String> done = new java.util.HashSet<>();
            int made = 0;
            while (!work.isEmpty()) {
                String n = work.poll();
                if (!done.add(n)) continue;
                Built b = units.get(n);
                if (b == null) continue;
                List<Ref> refs = new ArrayList<>();
                for (Dependency d : b.c.dependencies) refs.add(new Ref(d.to(), d.kind().key(), d.origin(), d.kind()));
                for (int i = 0; i < b.c.wantedBy.size(); i++)
                    refs.add(new Ref(b.c.wantedBy.get(i), "install.wanted-by", b.c.installOrigins.get(i), null));
                for (int i = 0; i < b.c.requiredBy.size(); i++)
                    refs.add(new Ref(b.c.requiredBy.get(i), "install.required-by", b.c.installOrigins.get(b.c.wantedBy.size() + i), null));
                for (Ref r : refs) {
                    String to = r.to();
                    if (units.containsKey(to) || aliases.containsKey(to)) continue;
                    String template = UnitNames.templateOf(to);
                    if (template != null && templates.containsKey(template) && made < MAX_INSTANCES) {
                        Built inst = instantiate(to);
                        if (inst != null) {
                            made++;
                            units.put(to, inst);
                            work.add(to);
                            continue;
                        }
                    }
                    if (providers.containsKey(to)) continue;
                    boolean hard = r.kind() == DepKind.REQUIRES || r.kind() == DepKind.REQUISITE || r.kind() == DepKind.BINDS_TO;
                    Origin o = r.origin();
                    String what = UnitType.ofName(to) == null
                            ? "no unit provides '" + to + "'"
                            : "unit '" + to + "' not found (no unit file defines it and no unit provides it)";
                    b.report.add(hard ? Severity.ERROR : Severity.WARNING, o.file(), o.line(), o.column(), r.key(),
                            r.key() + ": " + what + (hard ? "" : "; ignored"));
                    notFound.computeIfAbsent(to, k -> Unit.notFound(k, UnitType.ofName(k) == null
                            ? "no unit provides '" + k + "'" : "unit " + k + " not found"));
                }
            }
        }

        // ---- the set --------------------------------------------------------------------------

        private UnitSet assemble(Map<String, List<String>> providers) {
            Map<String, List<String>> namesOf = new HashMap<>();
            for (var e : aliases.entrySet()) namesOf.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
            Map<String, Unit> out = new LinkedHashMap<>();
            for (Built b : units.values()) out.put(b.name, toUnit(b, namesOf.getOrDefault(b.name, List.of())));
            for (var e : notFound.entrySet()) out.putIfAbsent(e.getKey(), e.getValue());
            Map<String, String> liveAliases = new TreeMap<>();
            for (var e : aliases.entrySet()) if (out.containsKey(e.getValue())) liveAliases.put(e.getKey(), e.getValue());
            LinkedHashSet<Problem> all = new LinkedHashSet<>();
            all.addAll(dirProblems);
            all.addAll(templateProblems);
            Set<String> seen = new java.util.HashSet<>();
            for (Problem p : all) seen.add(key(p));
            for (Built b : units.values())
                for (Problem p : b.report.problems()) if (seen.add(key(p))) all.add(p);
            List<Problem> sorted = new ArrayList<>(all);
            sorted.sort(PROBLEM_ORDER);
            List<String> dirNames = dirs.stream().map(Path::toString).toList();
            Map<String, String> frozenAliases = Map.copyOf(liveAliases);
            forgetAllButTemplates();
            return new UnitSet(out, liveAliases, providers, sorted, dirNames, n -> {
                synchronized (this) {
                    Built b = instantiate(frozenAliases.getOrDefault(n, n));
                    return b == null ? null : toUnit(b, List.of());
                }
            });
        }

        /**
         * Drops what only the load itself needed before the set's instantiator keeps this run: the
         * parsed files (their node trees and text) of every unit that is not a template or a drop-in,
         * the compiled units and the directory listing. Kept for instances made later: the templates,
         * the drop-in directories and their parsed files, so an instance is built from the same
         * contents as the rest of the set. (A set of 1,000 units kept ~3 MiB of heap it never read
         * again; docs/benchmarks.md, issue 13.)
         */
        private void forgetAllButTemplates() {
            Set<String> keep = new java.util.HashSet<>();
            for (YamlFile t : templates.values()) keep.add(t.file);
            for (Map<String, Path> d : dropInDirs.values()) for (Path p : d.values()) keep.add(p.toString());
            parsed.keySet().retainAll(keep);
            units.clear();
            notFound.clear();
            sources.clear();
            dirProblems.clear();
            templateProblems.clear();
        }

        private static String key(Problem p) {
            return p.severity() + "\u0000" + p.file() + "\u0000" + p.line() + "\u0000" + p.column() + "\u0000" + p.message();
        }

        private Unit toUnit(Built b, List<String> names) {
            List<String> al = new ArrayList<>(b.c.aliases);
            for (String n : names) if (!al.contains(n)) al.add(n);
            al.sort(null);
            LoadState load = b.masked ? LoadState.MASKED : b.bad ? LoadState.BAD_SETTING : LoadState.LOADED;
            return new Unit(b.name, b.type, load, b.c.description, b.c.documentation, b.c.dependencies, b.c.provides, List.copyOf(al),
                    b.c.conditions == null ? Conditions.NONE : b.c.conditions, b.c.ignoreOnIsolate, b.c.allowIsolate,
                    b.c.wantedBy, b.c.requiredBy, b.c.installOrigins, b.bad || b.masked ? null : b.c.service,
                    b.bad || b.masked ? null : b.c.timer, b.bad || b.masked ? null : b.c.paths,
                    b.bad || b.masked ? null : b.c.socket, b.fragmentPath, b.dropIns, b.report.problems());
        }
    }

    /** Problems sorted by file, position, then message: deterministic output. */
    static final Comparator<Problem> PROBLEM_ORDER = Comparator
            .comparing((Problem p) -> p.file() == null ? "\uffff" : p.file())
            .thenComparingInt(Problem::line).thenComparingInt(Problem::column)
            .thenComparing(Problem::message);

    /** Byte order of UTF-8 file names ({@code 30-y.yaml} before {@code 9-x.yaml}). */
    static int byteOrder(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }
}
