package dev.svcmgr.core.os;

import java.io.IOException;

/** The manager is short of file descriptors: a service cannot get its output FIFOs (and must not start). */
public final class NoDescriptorsException extends IOException {
    public NoDescriptorsException(String message) { super(message); }
}
