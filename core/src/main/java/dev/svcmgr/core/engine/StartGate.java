package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Atom;
import dev.svcmgr.graph.EdgeKind;
import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;

import java.util.Map;

/**
 * What a start job checks when its turn comes, before anything is started, in this order: the unit
 * is masked; a requirement with {@link Atom#FAILS_WITH} (read from the behaviour table) cannot be
 * loaded or has failed; the unit itself is not loaded; a condition does not hold. The first that
 * applies is the job's answer ({@link Refusal}); none: the unit may start. Conditions on paths are
 * asked of a {@link FileProbe}, those on the environment of the manager's environment.
 */
final class StartGate {
    /**
     * Why a start does not happen.
     *
     * @param result     the job's result
     * @param detail     words for it
     * @param state      the state the unit takes ({@code failed}, or {@code inactive} for a condition), or
     *                   null when its state does not change (masked)
     * @param sub        the sub state that goes with {@code state}
     * @param dependency for result {@code dependency}: the requirement that failed or cannot be loaded; else null
     */
    record Refusal(Result result, String detail, ActiveState state, SubState sub, String dependency) {}

    /** A requirement that makes the start fail: its canonical name, and why in words. */
    private record FailedRequirement(String unit, String words) {}

    private final UnitTable table;
    private final Map<String, String> environment;
    private final FileProbe files;

    StartGate(UnitTable table, Map<String, String> environment, FileProbe files) {
        this.table = table;
        this.environment = Map.copyOf(environment);
        this.files = files;
    }

    /** Null when {@code j} may start {@code u}; otherwise why not. */
    Refusal check(JobRun j, Unit u) {
        if (table.masked().contains(j.unit)) return new Refusal(Result.EXEC, j.unit + " is masked", null, null, null);
        FailedRequirement failed = failedRequirement(j, u);
        if (failed != null) {
            return new Refusal(Result.DEPENDENCY, "dependency " + failed.unit() + " " + failed.words(), ActiveState.FAILED,
                    SubState.FAILED, failed.unit());
        }
        if (!u.isLoaded()) {
            return new Refusal(Result.EXEC, "unit " + u.load().word() + ": " + u.firstErrorWithoutContent(),
                    ActiveState.FAILED, SubState.FAILED, null);
        }
        String cond = unmetCondition(u);
        if (cond != null) {
            return new Refusal(Result.CONDITION, "condition " + cond + " not met", ActiveState.INACTIVE, SubState.DEAD, null);
        }
        return null;
    }

    private static final String FIRST = "; first failure: ";

    /**
     * The failure a dependency failure goes back to, from its detail: {@code dependency X failed: exec (...)}
     * gives {@code X failed: exec (...)}; a detail that already names a first failure gives that one.
     */
    static String firstFailure(String dependencyDetail) {
        int i = dependencyDetail.indexOf(FIRST);
        if (i >= 0) return dependencyDetail.substring(i + FIRST.length());
        return dependencyDetail.startsWith("dependency ") ? dependencyDetail.substring("dependency ".length()) : dependencyDetail;
    }

    /** The first requirement of {@code u} (in declaration order) that makes it fail; or null. */
    private FailedRequirement failedRequirement(JobRun j, Unit u) {
        UnitSet units = table.units();
        for (Dependency d : u.dependencies()) {
            if (!EdgeKind.of(d.kind()).has(Atom.FAILS_WITH)) continue;
            String dep = units.canonical(d.to());
            Unit du = units.lookup(dep);
            if (du == null || du.load() == LoadState.NOT_FOUND || du.load() == LoadState.BAD_SETTING) {
                return new FailedRequirement(dep, "cannot be loaded: " + (du == null ? "not found" : du.firstErrorWithoutContent()));
            }
            JobRun dj = j.tx.jobOf(dep);
            if (dj != null && dj.phase == JobRun.Phase.DONE && dj.result != null && dj.result.isFailure()) {
                if (dj.result == Result.DEPENDENCY && dj.detail != null) {
                    // name the failure that started it all, not the whole chain: a chain of 10,000 units
                    // would otherwise carry a detail that grows by one level per unit
                    return new FailedRequirement(dep, "failed: dependency; first failure: " + firstFailure(dj.detail));
                }
                return new FailedRequirement(dep, "failed: " + dj.result.word() + (dj.detail == null ? "" : " (" + dj.detail + ")"));
            }
            if (dj == null) {
                UnitSnapshot ds = table.snapshot(dep);
                if (ds.active() == ActiveState.FAILED) {
                    return new FailedRequirement(dep, "failed: " + (ds.result() == null ? "failed" : ds.result().word()));
                }
            }
        }
        return null;
    }

    private String unmetCondition(Unit u) {
        Conditions c = u.conditions();
        if (c == null) return null;
        for (String p : c.pathExists()) if (!files.exists(p)) return "path-exists " + p;
        for (String p : c.pathExistsNot()) if (files.exists(p)) return "path-exists-not " + p;
        for (String p : c.fileNotEmpty()) if (!files.isNonEmptyFile(p)) return "file-not-empty " + p;
        for (String v : c.env()) {
            String val = environment.get(v);
            if (val == null || val.isEmpty()) return "env " + v;
        }
        return null;
    }
}
