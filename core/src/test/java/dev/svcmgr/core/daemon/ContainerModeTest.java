package dev.svcmgr.core.daemon;

import dev.svcmgr.core.os.UnitFiles;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerModeTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("detected only as PID 1, from the container variable, /.dockerenv or /run/.containerenv")
    void detection() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        assertFalse(ContainerMode.detected(true, Map.of(), root));
        assertTrue(ContainerMode.detected(true, Map.of("container", "podman"), root));
        assertFalse(ContainerMode.detected(false, Map.of("container", "podman"), root));
        assertFalse(ContainerMode.detected(true, Map.of("container", ""), root));
        Files.createDirectories(root.resolve("run"));
        Files.createFile(root.resolve("run/.containerenv"));
        assertTrue(ContainerMode.detected(true, Map.of(), root));
        Files.delete(root.resolve("run/.containerenv"));
        Files.createFile(root.resolve(".dockerenv"));
        assertTrue(ContainerMode.detected(true, Map.of(), root));
        assertFalse(ContainerMode.detected(false, Map.of(), root));
    }

    private static void tool(Path root, String path) throws Exception {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.createFile(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    @DisplayName("one warning per program the loaded units' sandboxes need and the image lacks, naming the units")
    void missingTools() throws Exception {
        Path units = Files.createDirectories(tmp.resolve("units"));
        Files.writeString(units.resolve("plain.service.yaml"), "exec: [/bin/sleep, '1']\nuser: nobody\n");
        Files.writeString(units.resolve("tmp.service.yaml"), "exec: [/bin/sleep, '1']\nsandbox:\n  private-tmp: true\n");
        Files.writeString(units.resolve("nnp.service.yaml"), "exec: [/bin/sleep, '1']\nsandbox:\n  no-new-privileges: true\n");
        UnitSet set = UnitLoader.load(List.of(units), UnitFiles.READER);
        Path root = Files.createDirectories(tmp.resolve("root"));
        tool(root, "/bin/sh");
        tool(root, "/usr/bin/mount");
        assertEquals(List.of(
                "/usr/bin/setpriv is missing from this image: the sandbox of nnp.service is not applied (a unit with sandbox.required fails to start)",
                "/usr/bin/unshare is missing from this image: the sandbox of tmp.service is not applied (a unit with sandbox.required fails to start)"),
                ContainerMode.missingTools(set, root));
        tool(root, "/usr/bin/unshare");
        tool(root, "/usr/bin/setpriv");
        assertEquals(List.of(), ContainerMode.missingTools(set, root));
    }
}
