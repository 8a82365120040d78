package dev.svcmgr.units.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** systemd's file syntax as {@code svcmgr import} reads it (systemd.syntax(7), systemd.service(5) "Command lines"). */
class SystemdSyntaxTest {
    private static List<String> entries(String text) throws IniFile.SyntaxError {
        List<String> out = new ArrayList<>();
        for (IniFile.Entry e : IniFile.parse(text).entries()) out.add(e.line() + " [" + e.section() + "] " + e.key() + "=" + e.value());
        return out;
    }

    @Nested
    @DisplayName("the INI lexer")
    class Lexer {
        @Test
        @DisplayName("sections, # and ; comments, whitespace around key and value, repeated keys kept in order")
        void sectionsCommentsAndRepeats() throws Exception {
            assertEquals(List.of("4 [Unit] Description=A b", "6 [Service] After=a", "7 [Service] After=", "8 [Service] After=b"),
                    entries("# comment\n; another\n[Unit]\n  Description =  A b  \n[Service]\nAfter=a\nAfter=\nAfter=b\n"));
        }

        @Test
        @DisplayName("a line ending in a backslash continues on the next; comment lines inside are skipped; the entry keeps its first line")
        void continuation() throws Exception {
            assertEquals(List.of("2 [Service] ExecStart=/bin/echo a  b  c", "6 [Service] User=x"),
                    entries("[Service]\nExecStart=/bin/echo a \\\n  b \\\n# not part of it\n  c\nUser=x\n"));
            assertEquals(List.of("2 [Service] ExecStart=/bin/true"), entries("[Service]\nExecStart=/bin/true \\"),
                    "a continuation on the last line ends with the file");
        }

        @Test
        @DisplayName("a line that is neither [Section] nor Key=Value, an assignment outside a section, bad UTF-8: errors with the line")
        void errors() {
            IniFile.SyntaxError e = assertThrows(IniFile.SyntaxError.class, () -> IniFile.parse("[Unit]\nDescription=x\njunk here\n"));
            assertEquals(3, e.line());
            assertTrue(e.getMessage().startsWith("expected Key=Value or [Section], got 'junk here'"), e.getMessage());
            assertEquals(1, assertThrows(IniFile.SyntaxError.class, () -> IniFile.parse("A=b\n")).line());
            assertEquals(1, assertThrows(IniFile.SyntaxError.class, () -> IniFile.parse("[Unit\n")).line());
            assertEquals("invalid UTF-8",
                    assertThrows(IniFile.SyntaxError.class, () -> IniFile.parse(new byte[] {'[', 'U', ']', '\n', (byte) 0xff})).getMessage());
            assertEquals(2, assertThrows(IniFile.SyntaxError.class, () -> IniFile.parse("[Unit]\n.include /x\n")).line());
        }
    }

    @Nested
    @DisplayName("words and command lines")
    class CommandLines {
        @Test
        @DisplayName("double and single quotes group a word, quotes inside a word too; whitespace separates")
        void quotes() {
            assertEquals(List.of("a", "b c", "d e", "fg h", ""), Words.split("a \"b c\"  'd e'\tf\"g h\" ''"));
            assertEquals("unclosed double quote", assertThrows(IllegalArgumentException.class, () -> Words.split("a \"b")).getMessage());
        }

        @Test
        @DisplayName("C escapes in and outside quotes: \\n \\t \\\\ \\\" \\s \\xHH \\NNN \\uXXXX; an unknown one stays")
        void escapes() {
            assertEquals(List.of("a\nb", "\t", "\\", "\"q\"", "x y", "A", "A", "\u00e9", "\\d"),
                    Words.split("a\\nb \\t \\\\ \"\\\"q\\\"\" x\\sy \\x41 \\101 \\u00e9 \\d"));
            assertThrows(IllegalArgumentException.class, () -> Words.split("\\x4"));
        }

        @Test
        @DisplayName("a lone ; separates commands, \\; is a literal ; word")
        void semicolons() {
            List<Words.Command> cs = Words.commands("/bin/echo a \\; b ; /bin/true");
            assertEquals(2, cs.size());
            assertEquals(List.of("/bin/echo", "a", ";", "b"), cs.get(0).argv());
            assertEquals(List.of("/bin/true"), cs.get(1).argv());
        }

        @Test
        @DisplayName("the prefixes - + ! : @ in any order; @ makes the second word argv[0]")
        void prefixes() {
            Words.Command c = Words.commands("-+/bin/x a").get(0);
            assertTrue(c.ignoreFailure() && c.privileged() && !c.elevated() && !c.noExpand());
            assertEquals(List.of("/bin/x", "a"), c.argv());
            Words.Command d = Words.commands("!!:@/bin/x name a").get(0);
            assertTrue(d.elevated() && d.noExpand() && !d.ignoreFailure());
            assertEquals("name", d.argv0());
            assertEquals(List.of("/bin/x", "a"), d.argv());
            assertThrows(IllegalArgumentException.class, () -> Words.commands("- /bin/x"));
        }
    }

    @Nested
    @DisplayName("the YAML writer")
    class Writer {
        @Test
        @DisplayName("every string reads back as itself, whatever YAML would make of it plain")
        void stringsRoundTrip() {
            List<String> hard = List.of("yes", "no", "on", "Off", "null", "~", "0027", "8080", "1.5", "a: b", "a #b", "#x", "%i", "@x",
                    "-", "- x", "-g", "--flag=1", "'q'", "\"dq\"", "back\\slash", "line\nbreak", "tab\there", "\u00e9t\u00e9", "[x]",
                    "{x}", "x,y", "*star", "&a", "!tag", "|", ">", "`b`", "", " lead", "trail ", "5s", "1min 30s", "bell\u0007",
                    "daemon on; master_process on;", "http://x:80/a?b=c", "\u2028");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("list", hard);
            for (int i = 0; i < hard.size(); i++) m.put("k" + i, hard.get(i));
            m.put("nested", Map.of("cmds", List.of(List.of("/bin/a", "yes"), Map.of("command", List.of("b"), "privileged", true))));
            String text = YamlWriter.write(m);
            Map<String, Object> back = new Yaml().load(text);
            assertEquals(hard, back.get("list"), text);
            for (int i = 0; i < hard.size(); i++) assertEquals(hard.get(i), back.get("k" + i), text);
            assertEquals(m.get("nested"), back.get("nested"), text);
        }

        @Test
        @DisplayName("plain where it is safe: paths, words, flags, durations; a reset map is an empty value")
        void plainWhereSafe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exec", List.of("/usr/bin/x", "-g", "--port", "8080", "yes"));
            m.put("timeout-stop", "5s");
            m.put("environment", null);
            m.put("after", List.of());
            assertEquals("exec: [/usr/bin/x, -g, --port, \"8080\", \"yes\"]\ntimeout-stop: 5s\nenvironment:\nafter: []\n", YamlWriter.write(m));
        }
    }

    @Test
    @DisplayName("time spans, booleans, sizes and modes in svcmgr's forms")
    void values() {
        assertEquals("1min 30s", SystemdValues.timespan("90", false));
        assertEquals("1min 30s", SystemdValues.timespan("1min 30s", false));
        assertEquals("2h 30min", SystemdValues.timespan("2h30min", false));
        assertEquals("500ms", SystemdValues.timespan("500ms", false));
        assertEquals("1ms", SystemdValues.timespan("10us", false), "below a millisecond rounds up");
        assertEquals("infinity", SystemdValues.timespan("0", true));
        assertEquals("0", SystemdValues.timespan("0", false));
        assertEquals("infinity", SystemdValues.timespan("infinity", false));
        assertEquals(null, SystemdValues.timespan("5 fortnights", false));
        assertEquals(true, SystemdValues.bool("on"));
        assertEquals(false, SystemdValues.bool("0"));
        assertEquals(null, SystemdValues.bool("maybe"));
        assertEquals("512M", SystemdValues.size("512M"));
        assertEquals("1G", SystemdValues.size("1GiB"));
        assertEquals("0007", SystemdValues.mode("007"));
        assertFalse(SystemdValues.mode("8") != null);
    }
}
