package dev.svcmgr.core.log;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSinkConsoleTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    @DisplayName("a teed sink writes every line to the log and to the console headed by the main PID of the moment")
    void teedLinesCarryThePid() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger pid = new AtomicInteger(0);
        ConsoleOutput c = new ConsoleOutput(out, out, 1 << 16);
        LogSink sink = new LogSink(new LogFile(dir, "a.service", 1 << 20, 2), null).tee(c, "a.service", pid::get);
        sink.data(1, b("before\n"), 7);
        pid.set(42);
        sink.data(1, b("one\ntwo"), 7);
        sink.closed(1);
        c.close(5000);
        assertEquals("a.service: before\na.service[42]: one\na.service[42]: two\n", out.toString(StandardCharsets.UTF_8));
        String log = Files.readString(LogFile.current(dir, "a.service"));
        assertTrue(log.contains(" stdout before\n") && log.contains(" stdout one\n") && log.contains(" stdout two\n"), log);
    }

    @Test
    @DisplayName("lines read while the main process is being spawned wait for its PID, in order, then go out headed by it")
    void linesWaitForThePidDuringASpawn() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger pid = new AtomicInteger(0);
        ConsoleOutput c = new ConsoleOutput(out, out, 1 << 16);
        LogSink sink = new LogSink(new LogFile(dir, "b.service", 1 << 20, 2), null).tee(c, "b.service", pid::get);
        sink.holdConsole();
        sink.data(1, b("early 1\nearly 2\n"), 16);
        pid.set(7);
        sink.releaseConsole();
        sink.data(2, b("later\n"), 6);
        c.close(5000);
        assertEquals("b.service[7]: early 1\nb.service[7]: early 2\nb.service[7]: later\n", out.toString(StandardCharsets.UTF_8));
    }
}
