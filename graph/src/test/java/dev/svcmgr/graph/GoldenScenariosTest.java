package dev.svcmgr.graph;

import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden resolver scenarios (STYLE habit 10): each directory under
 * {@code src/test/resources/scenarios} holds {@code units/} (YAML unit files, loaded by the real
 * loader), {@code request} and {@code expected}. {@code request}'s first line is the request
 * ({@code start web.target}); further lines set the current state ({@code active a.service
 * b.service}, also {@code starting}, {@code failed}, {@code stopping}), {@code masked ...},
 * {@code disabled ...} and {@code everything}. {@code expected} is the plan as
 * {@link Plan#render()} prints it, or {@code rejected: ...} and {@code cycle: ...}.
 * Run with {@code -Dgolden.update=true} to rewrite expected files (then review the diff).
 */
class GoldenScenariosTest {
    static final Path ROOT = Path.of("src/test/resources/scenarios");

    @TestFactory
    Stream<DynamicTest> everyScenarioResolvesToItsExpectedPlan() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(ROOT)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(dirs.size() >= 12, "at least a dozen golden scenarios, found " + dirs.size());
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> check(d)));
    }

    static String run(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("request"));
        String[] first = lines.get(0).trim().split("\\s+");
        Request.Verb verb = Request.Verb.valueOf(first[0].toUpperCase(Locale.ROOT).replace('-', '_'));
        Map<String, ActiveState> state = new HashMap<>();
        Set<String> masked = new HashSet<>();
        Set<String> disabled = new HashSet<>();
        boolean everything = false;
        for (String l : lines.subList(1, lines.size())) {
            String[] w = l.trim().split("\\s+");
            if (w[0].isEmpty()) continue;
            List<String> names = Arrays.asList(w).subList(1, w.length);
            switch (w[0]) {
                case "masked" -> masked.addAll(names);
                case "disabled" -> disabled.addAll(names);
                case "everything" -> everything = true;
                default -> {
                    ActiveState s = ActiveState.valueOf(w[0].toUpperCase(Locale.ROOT));
                    for (String n : names) state.put(n, s);
                }
            }
        }
        UnitSet units = UnitLoader.load(List.of(dir.resolve("units")));
        DependencyGraph g = DependencyGraph.build(units, disabled);
        Request r = new Request(verb, List.of(first).subList(1, first.length), JobMode.REPLACE, everything);
        Resolution res = Resolver.resolve(g, state, masked, r);
        // the same input gives the same bytes
        assertEquals(res, Resolver.resolve(g, state, masked, r));
        StringBuilder b = new StringBuilder("request: ").append(r.describe()).append('\n');
        if (res instanceof Plan p) {
            b.append(p.render());
        } else if (res instanceof Rejection rj) {
            b.append("rejected: ").append(rj.error()).append('\n');
            if (rj.cycle() != null) b.append("cycle: ").append(String.join(" -> ", rj.cycle())).append('\n');
        }
        String text = b.toString();
        text = text.replace(dir.resolve("units").toAbsolutePath() + "/", "").replace(dir.resolve("units") + "/", "");
        return text;
    }

    static void check(Path dir) throws IOException {
        String actual = run(dir);
        Path exp = dir.resolve("expected");
        if (Boolean.getBoolean("golden.update") || !Files.exists(exp)) {
            Files.writeString(exp, actual);
            if (!Boolean.getBoolean("golden.update")) throw new AssertionError("wrote missing " + exp + "; review it");
            return;
        }
        assertEquals(Files.readString(exp), actual, "scenario " + dir.getFileName());
    }

}
