/**
 * The control protocol as types, shared by the daemon and the CLI (docs/protocol.md): the one
 * list of verbs with who may use them ({@link dev.svcmgr.core.protocol.Verb}), the protocol
 * version ({@link dev.svcmgr.core.protocol.Version}), the kinds of error a reply reports
 * ({@link dev.svcmgr.core.protocol.ErrorKind}), and a record for every request and reply with
 * its JSON form written and read in one place. Depends on {@code core.json} and the JDK only:
 * nothing here knows the engine, the daemon or the OS, and only the CLI turns an error kind into
 * an exit code.
 */
package dev.svcmgr.core.protocol;
