package dev.svcmgr.units.load;

import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * One unit file or drop-in, read safely: refused unread above {@link #MAX_BYTES},
 * strict UTF-8, SnakeYAML's composer only (no object construction, so no
 * arbitrary types), bounded aliases and nesting. The result is either a mapping
 * node with positions or located problems.
 */
final class YamlFile {
    /** Unit files larger than this are refused unread (units.md). */
    static final long MAX_BYTES = 1024 * 1024;
    /** The implicit tags (int, bool, null, ...): filled once, then only read, by any number of loader threads. */
    private static final Resolver RESOLVER = new Resolver();
    /** Most aliases to collections in one document (defeats billion-laughs documents). */
    static final int MAX_COLLECTION_ALIASES = 20;
    /** Deepest nesting of collections accepted. */
    static final int MAX_DEPTH = 32;

    final String file;
    /** The document's top mapping; an empty document gives an empty mapping; null on error. */
    final MappingNode root;
    final List<Problem> problems;
    /** The file's text as read (null when refused). */
    final String text;

    private YamlFile(String file, MappingNode root, List<Problem> problems, String text) {
        this.file = file;
        this.root = root;
        this.problems = problems;
        this.text = text;
    }

    boolean ok() { return root != null; }

    /** Reads with the {@link UnitFileReader#PLAIN} reader, as a file anyone may read. */
    static YamlFile read(Path path) {
        return read(path, UnitFileReader.PLAIN, false);
    }

    /**
     * Reads and parses one file.
     *
     * @param reader     how the bytes are read (the daemon's cannot block on a FIFO)
     * @param restricted the file is not readable by every user: problems that quote it get a kind
     *                   without its contents ({@link Problem#kind()})
     */
    static YamlFile read(Path path, UnitFileReader reader, boolean restricted) {
        String file = path.toString();
        List<Problem> problems = new ArrayList<>();
        try {
            // the reader refuses what is not a regular file and reads at most 1 MiB + 1 byte; the size is
            // asked only of a file that is too large (two stat calls per file fewer: issue 13)
            byte[] bytes = reader.read(path, (int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                long size = sizeOf(path);
                problems.add(err(file, 0, 0, size > MAX_BYTES
                        ? "file is " + size + " bytes, larger than the 1 MiB limit for unit files; refused unread"
                        : "file is larger than the 1 MiB limit for unit files; refused"));
                return new YamlFile(file, null, problems, null);
            }
            return parse(file, bytes, restricted);
        } catch (UnitFileReader.NotRegularFileException e) {
            problems.add(notRegular(file));
            return new YamlFile(file, null, problems, null);
        } catch (IOException e) {
            // asked only now that the read failed: a name that is no regular file (gone, a dangling or looping
            // symlink) is told as such, as before the reader was trusted with the check
            problems.add(Files.isRegularFile(path) ? err(file, 0, 0, "cannot read: " + ioMessage(e)) : notRegular(file));
            return new YamlFile(file, null, problems, null);
        }
    }

    /** The size of the file at {@code path}, -1 when it cannot be told. */
    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Problem notRegular(String file) {
        return err(file, 0, 0, "not a regular file (a unit file must be a regular file or a symlink to one)");
    }

    static String ioMessage(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemLoopException) return "too many levels of symbolic links";
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            String r = fse.getReason().toLowerCase(java.util.Locale.ROOT);
            return r.startsWith("too many levels of symbolic links") ? "too many levels of symbolic links" : r;
        }
        return m == null ? kind : m;
    }

    /** Parses bytes as a unit document (also used by tests and the fuzz test). */
    static YamlFile parse(String file, byte[] bytes) {
        return parse(file, bytes, false);
    }

    /** Parses bytes; {@code restricted}: problems that quote the text get a kind without it. */
    static YamlFile parse(String file, byte[] bytes, boolean restricted) {
        List<Problem> problems = new ArrayList<>();
        if (bytes.length > MAX_BYTES) {
            problems.add(err(file, 0, 0, "file is " + bytes.length + " bytes, larger than the 1 MiB limit for unit files; refused unread"));
            return new YamlFile(file, null, problems, null);
        }
        String text;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            text = dec.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int off = badUtf8Offset(bytes);
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < off; i++) if (bytes[i] == '\n') { line++; lineStart = i + 1; }
            int col = 1 + new String(bytes, lineStart, off - lineStart, StandardCharsets.UTF_8).length();
            problems.add(err(file, line, col, String.format("invalid UTF-8 (byte 0x%02x at offset %d); unit files must be UTF-8",
                    bytes[off] & 0xff, off), restricted ? "invalid UTF-8" : null));
            return new YamlFile(file, null, problems, null);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        opts.setAllowRecursiveKeys(false);
        opts.setNestingDepthLimit(MAX_DEPTH);
        opts.setCodePointLimit((int) MAX_BYTES + 16);
        opts.setAllowDuplicateKeys(true); // duplicates are found and reported with positions by Schema
        opts.setProcessComments(false);
        Node node;
        try {
            // what Yaml.compose does, without building a Yaml (its constructor, representer and dumper, and
            // java.util.logging's set-up, ~20 ms of the daemon's start: docs/benchmarks.md, issue 13)
            node = new Composer(new ParserImpl(new StreamReader(text), opts), RESOLVER, opts).getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getContext();
            if (what == null) what = "malformed YAML";
            String ctx = e.getContext() != null && e.getProblem() != null ? " (" + e.getContext() + ")" : "";
            what = oneLine(what + ctx);
            if (what.contains("expected a single document")) what = "YAML syntax error: more than one YAML document; a unit file holds exactly one";
            else if (what.startsWith("Global tag is not allowed: "))
                what = "YAML tag '" + what.substring("Global tag is not allowed: ".length()) + "' is not allowed in unit files";
            else what = "YAML syntax error: " + what;
            if (what.contains("while scanning an alias")) {
                // on-calendar: *-*-* 03:00 -- in YAML a plain value cannot start with '*' (an alias)
                what += "; a value that starts with '*' must be quoted, e.g. on-calendar: \"*-*-* 03:00\"";
            }
            problems.add(err(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, what,
                    restricted ? "YAML syntax error" : null));
            return new YamlFile(file, null, problems, text);
        } catch (ReaderException e) {
            int[] lc = lineCol(text, e.getPosition());
            problems.add(err(file, lc[0], lc[1], String.format("character U+%04X is not allowed in YAML", e.getCodePoint()),
                    restricted ? "a character that is not allowed in YAML" : null));
            return new YamlFile(file, null, problems, text);
        } catch (YAMLException e) {
            String m = oneLine(String.valueOf(e.getMessage()));
            if (m.contains("Number of aliases"))
                m = "too many YAML aliases (more than " + MAX_COLLECTION_ALIASES + " to collections); refused";
            else if (m.contains("Nesting Depth"))
                m = "YAML nested deeper than " + MAX_DEPTH + " levels; refused";
            else if (m.contains("code points"))
                m = "file is larger than the 1 MiB limit for unit files; refused";
            else m = "YAML error: " + m;
            problems.add(err(file, 0, 0, m, restricted ? "YAML error" : null));
            return new YamlFile(file, null, problems, text);
        } catch (RuntimeException | StackOverflowError e) {
            problems.add(err(file, 0, 0, "YAML error: " + oneLine(String.valueOf(e.getMessage())), restricted ? "YAML error" : null));
            return new YamlFile(file, null, problems, text);
        }
        if (node == null || (node instanceof ScalarNode s && s.getValue().isEmpty() && s.getTag().getValue().endsWith(":null"))) {
            return new YamlFile(file, new MappingNode(org.yaml.snakeyaml.nodes.Tag.MAP, new ArrayList<>(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK),
                    problems, text);
        }
        if (!(node instanceof MappingNode map)) {
            Mark m = node.getStartMark();
            problems.add(err(file, m.getLine() + 1, m.getColumn() + 1,
                    "expected a mapping of keys (like 'description: ...') at the top of the unit file, got " + Schema.kindOf(node),
                    restricted ? "expected a mapping of keys at the top of the unit file" : null));
            return new YamlFile(file, null, problems, text);
        }
        checkTags(file, map, problems, restricted);
        if (!problems.isEmpty()) return new YamlFile(file, null, problems, text);
        return new YamlFile(file, map, problems, text);
    }

    /** Refuses explicit application tags such as {@code !!python/object} or {@code !foo}. */
    private static void checkTags(String file, Node root, List<Problem> problems, boolean restricted) {
        String kind = restricted ? "YAML tag not allowed in unit files" : null;
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        List<Node> work = new ArrayList<>();
        work.add(root);
        while (!work.isEmpty() && problems.size() < 20) {
            Node n = work.remove(work.size() - 1);
            if (seen.put(n, Boolean.TRUE) != null) continue;
            String tag = n.getTag().getValue();
            if (!tag.startsWith("tag:yaml.org,2002:")) {
                Mark m = n.getStartMark();
                problems.add(err(file, m.getLine() + 1, m.getColumn() + 1, "YAML tag '" + tag + "' is not allowed in unit files", kind));
            } else if (n instanceof ScalarNode s && !(s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.STR)
                    || s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.INT) || s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.BOOL)
                    || s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL) || s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.FLOAT)
                    || s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.TIMESTAMP))) {
                Mark m = n.getStartMark();
                problems.add(err(file, m.getLine() + 1, m.getColumn() + 1, "YAML tag '" + tag + "' is not allowed in unit files", kind));
            }
            if (n instanceof MappingNode mn) {
                for (NodeTuple t : mn.getValue()) {
                    work.add(t.getKeyNode());
                    work.add(t.getValueNode());
                }
            } else if (n instanceof SequenceNode sn) {
                work.addAll(sn.getValue());
            }
        }
    }

    private static int badUtf8Offset(byte[] bytes) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        var r = dec.decode(in, out, true);
        return r.isError() ? Math.min(in.position(), bytes.length - 1) : Math.max(0, bytes.length - 1);
    }

    private static int[] lineCol(String text, int index) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(index, text.length()); i++) {
            if (text.charAt(i) == '\n') { line++; col = 1; } else col++;
        }
        return new int[] {line, col};
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static Problem err(String file, int line, int col, String msg) {
        return err(file, line, col, msg, null);
    }

    private static Problem err(String file, int line, int col, String msg, String kind) {
        return new Problem(Severity.ERROR, null, file, line, col, null, msg, kind);
    }
}
