/**
 * The {@code svcmgr} command: {@link dev.svcmgr.cli.Main} (argument reordering, error handling and the
 * only {@code System.exit}) and what is generated from the commands: the man pages, the shell completion
 * ({@link dev.svcmgr.cli.Completions}) and the installable distribution. Commands live in
 * {@code cli.commands}, the protocol client and the exit-code table in {@code cli.client}.
 */
package dev.svcmgr.cli;
