/**
 * The {@code svcmgr} command: {@link dev.svcmgr.cli.Main} (argument reordering, error handling and the
 * only {@code System.exit}) and the man pages generated from the commands. Commands live in
 * {@code cli.commands}, the protocol client and the exit-code table in {@code cli.client}.
 */
package dev.svcmgr.cli;
