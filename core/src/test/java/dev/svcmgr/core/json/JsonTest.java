package dev.svcmgr.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesEveryKindCompactlyInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\t\u0001é");
        m.put("n", 42);
        m.put("l", 1L << 40);
        m.put("d", 1.5);
        m.put("t", true);
        m.put("z", null);
        m.put("list", List.of(1, "x", List.of()));
        m.put("map", Map.of());
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001é\",\"n\":42,\"l\":1099511627776,\"d\":1.5,\"t\":true,\"z\":null,"
                + "\"list\":[1,\"x\",[]],\"map\":{}}", Json.write(m));
    }

    @Test
    void parsesIntoMapsListsLongsDoublesStringsBooleansAndNull() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, \"x\\u00e9\\n\", true, false, null], \"b\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", new ArrayList<>(Arrays.asList(1L, -25.0, "xé\n", true, false, null)));
        expected.put("b", new LinkedHashMap<>());
        assertEquals(expected, v);
        assertEquals(LinkedHashMap.class, v.getClass());
    }

    @Test
    void badInputNamesThePosition() {
        assertEquals("bad JSON at position 7: expected ',' or '}', got '\"'",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1 \"b\":2}")).getMessage());
        assertEquals("bad JSON at position 0: expected a value, got the end",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("")).getMessage());
        assertEquals("bad JSON at position 2: expected the end of the document, got 'x'",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("1 x")).getMessage());
        for (String bad : List.of("[1,]", "{\"a\"}", "01", "\"\\x\"", "tru", "[\"a\nb\"]", "-", "1.", "{,}", "[".repeat(1000)))
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }

    @Test
    void aKeyTwiceInOneObjectIsAnError() {
        assertEquals("bad JSON at position 13: duplicate key \"verb\"", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"verb\":\"a\", \"verb\":\"b\"}")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[{\"x\":{\"k\":1,\"k\":1}}]"));
        // the same key in different objects is fine
        assertEquals(List.of(Map.of("k", 1L), Map.of("k", 2L)), Json.parse("[{\"k\":1},{\"k\":2}]"));
    }

    @Test
    void numbersADoubleCannotHoldAndOverlongNumbersAreErrors() {
        assertEquals("bad JSON at position 5: a number out of range, got '1'",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"v\":1e400}")).getMessage());
        for (String bad : List.of("-1e400", "1e99999999999999999999", "9".repeat(400), "1" + "0".repeat(64), "-0." + "1".repeat(70)))
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        // what parses can always be written back
        assertEquals("1.0E-300", Json.write(Json.parse("1e-300")));
        assertEquals(0.0, Json.parse("1e-400"));
        assertEquals(1e20, Json.parse("100000000000000000000"));
    }

    @Test
    void prettyIsTheSameDocumentIndented() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1L, "x,y:{}", Map.of()));
        m.put("b", new LinkedHashMap<>());
        assertEquals("{\n  \"a\": [\n    1,\n    \"x,y:{}\",\n    {}\n  ],\n  \"b\": {}\n}", Json.pretty(m));
        assertEquals(m, Json.parse(Json.pretty(m)));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void randomValuesRoundTrip() {
        Random r = new Random(7);
        for (int i = 0; i < 500; i++) {
            Object v = random(r, 0);
            assertEquals(v, Json.parse(Json.write(v)));
        }
    }

    private static Object random(Random r, int depth) {
        switch (depth > 3 ? r.nextInt(4) : r.nextInt(6)) {
            case 0: return r.nextLong();
            case 1: {
                StringBuilder b = new StringBuilder();
                for (int i = r.nextInt(8); i > 0; i--) b.append((char) r.nextInt(0x3000));
                return b.toString();
            }
            case 2: return r.nextBoolean();
            case 3: return null;
            case 4: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) l.add(random(r, depth + 1));
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) m.put("k" + r.nextInt(100), random(r, depth + 1));
                return m;
            }
        }
    }
}
