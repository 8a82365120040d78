package dev.svcmgr.graph;

import java.util.List;

/**
 * What a client asked for. One request naming several units is one transaction.
 *
 * @param verb  start, stop, restart, try-restart, reload or isolate
 * @param units canonical unit names (one target for isolate)
 * @param mode  job mode
 * @param everything for stop requests of shutdown/halt: also stop {@code ignore-on-isolate} units
 */
public record Request(Verb verb, List<String> units, JobMode mode, boolean everything) {
    public enum Verb {
        START, STOP, RESTART, TRY_RESTART, RELOAD, ISOLATE, RELOAD_OR_RESTART, TRY_RELOAD_OR_RESTART;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
    }

    public Request {
        units = List.copyOf(units);
    }

    public static Request of(Verb verb, String... units) {
        return new Request(verb, List.of(units), JobMode.REPLACE, false);
    }

    /** e.g. {@code isolate multi-user.target}. */
    public String describe() {
        return verb.word() + " " + String.join(" ", units);
    }

    /**
     * {@link #describe()} with at most {@link #DESCRIBED} units named, then a count ({@code stop a.service
     * ... and 992 more}): the text every unit the request moves keeps as its cause (status, state.json,
     * the transaction history), where naming 1,000 units in each of 1,000 causes was 9 MB of heap and of
     * state.json. Plans and errors name every unit ({@link #describe()}).
     */
    public String abbreviated() {
        if (units.size() <= DESCRIBED) return describe();
        return verb.word() + " " + String.join(" ", units.subList(0, DESCRIBED)) + " and " + (units.size() - DESCRIBED) + " more";
    }

    static final int DESCRIBED = 8;
}
