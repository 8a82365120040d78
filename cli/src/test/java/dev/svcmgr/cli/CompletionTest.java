package dev.svcmgr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated bash completion, sourced by a real bash, completes commands and options. */
class CompletionTest {
    private static String complete(Path script, String line) throws Exception {
        String sh = "source " + script + "\nCOMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< \"$COMP_LINE\";"
                + " COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _complete_svcmgr; echo \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", sh).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void bashCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "completion", "bash"));
        Path script = dir.resolve("svcmgr.bash");
        Files.writeString(script, out.toString());
        assertEquals("is-system-running", complete(script, "svcmgr is-sys"));
        assertTrue(complete(script, "svcmgr status --run").contains("--runtime-dir"));
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "completion", "fish"));
        assertTrue(err.toString().startsWith("svcmgr: completion: expected bash or zsh"), err.toString());
    }
}
