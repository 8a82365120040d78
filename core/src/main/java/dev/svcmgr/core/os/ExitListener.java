package dev.svcmgr.core.os;

/** Told when a spawned process has been reaped; called on the reaper thread. */
@FunctionalInterface
public interface ExitListener {
    void exited(int pid, ExitStatus status);
}
