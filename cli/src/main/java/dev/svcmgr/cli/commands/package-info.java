/**
 * One picocli class per verb ({@code verify}, {@code cat}, {@code show}, ...): each parses its
 * options, asks the loader, resolver or daemon, and renders human or {@code --json} output
 * through the command line's writers, returning a documented exit code.
 */
package dev.svcmgr.cli.commands;
