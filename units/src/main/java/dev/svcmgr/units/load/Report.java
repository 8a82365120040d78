package dev.svcmgr.units.load;

import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects located problems for one unit (or one file before its unit is known). */
final class Report {
    /** Beyond this many problems in one unit the rest are summarised in one line. */
    static final int MAX_PROBLEMS = 200;

    private final String unit;
    /** Files not readable by every user: problems located in them get a kind without their contents. */
    private final Set<String> restricted;
    private final List<Problem> problems = new ArrayList<>();
    private int dropped;

    Report(String unit) { this(unit, Set.of()); }

    Report(String unit, Set<String> restricted) {
        this.unit = unit;
        this.restricted = restricted;
    }

    String unit() { return unit; }

    void error(String file, Node at, String key, String message) { add(Severity.ERROR, file, at, key, message); }

    void warning(String file, Node at, String key, String message) { add(Severity.WARNING, file, at, key, message); }

    void add(Severity sev, String file, Node at, String key, String message) {
        Mark m = at == null ? null : at.getStartMark();
        add(sev, file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, key, message);
    }

    void add(Severity sev, String file, int line, int column, String key, String message) {
        if (problems.size() >= MAX_PROBLEMS) {
            dropped++;
            return;
        }
        String kind = file != null && restricted.contains(file) ? kindOf(key) : null;
        problems.add(new Problem(sev, unit, file, line, column, key, message, kind));
    }

    /** Copies problems found before the unit's name was known, stamping this unit's name on them. */
    void addAll(List<Problem> ps) {
        for (Problem p : ps) {
            if (problems.size() >= MAX_PROBLEMS) {
                dropped++;
                continue;
            }
            problems.add(new Problem(p.severity(), unit, p.file(), p.line(), p.column(), p.key(), p.message(), p.kind()));
        }
    }

    /**
     * The kind of a problem at {@code key}, naming nothing but the schema's own words: the setting when
     * it is one the schema knows ({@code invalid setting 'restart'}), else {@code unknown key}.
     */
    static String kindOf(String key) {
        if (key == null || key.isEmpty()) return "invalid content";
        int dot = key.indexOf('.');
        String top = dot < 0 ? key : key.substring(0, dot);
        return Schema.isKnownKey(top) ? "invalid setting '" + top + "'" : "unknown key";
    }

    boolean hasErrors() {
        return dropped > 0 || problems.stream().anyMatch(p -> p.severity() == Severity.ERROR);
    }

    List<Problem> problems() {
        List<Problem> out = new ArrayList<>(problems);
        if (dropped > 0) {
            Problem last = problems.get(problems.size() - 1);
            out.add(new Problem(Severity.ERROR, unit, last.file(), 0, 0, null,
                    dropped + " more problems not shown (only the first " + MAX_PROBLEMS + " are reported)"));
        }
        return out;
    }
}
