package dev.svcmgr.core.os;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The spawner's request bytes: key, UTF-8 text, NUL; written without an array per string. */
class SpawnerRequestTest {
    private static void field(ByteArrayOutputStream b, char key, String text) {
        b.write(key);
        b.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        b.write(0);
    }

    @Test
    @DisplayName("ASCII, non-ASCII and environment fields come out as key, UTF-8 and a NUL, also past the first buffer")
    void fieldsAreKeyUtf8AndNul() {
        Spawner.Request q = new Spawner.Request();
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        q.put('x', "/bin/echo");
        field(want, 'x', "/bin/echo");
        q.put('a', "grüße, 日本, 😀 and back to ASCII");
        field(want, 'a', "grüße, 日本, 😀 and back to ASCII");
        q.putEnv("LANG", "C.UTF-8");
        field(want, 'e', "LANG=C.UTF-8");
        q.putEnv("GREETING", "héllo");
        field(want, 'e', "GREETING=héllo");
        q.put('d', "");
        field(want, 'd', "");
        String big = "é".repeat(700) + "x".repeat(3000); // larger than the first buffer, in both encodings
        q.put('a', big);
        field(want, 'a', big);
        q.putEnv("BIG", big);
        field(want, 'e', "BIG=" + big);
        // a non-ASCII name at the very end of the buffer, its value after it
        for (int i = 0; i < 40; i++) {
            String name = "N" + "ü".repeat(i * 7), value = "v".repeat(i * 13);
            q.putEnv(name, value);
            field(want, 'e', name + "=" + value);
        }
        assertArrayEquals(want.toByteArray(), q.bytes());
        assertEquals(want.size(), q.size());
    }
}
