/**
 * Per-unit log files: every line a service writes to stdout or stderr, with a
 * timestamp and the stream, rotated at a size keeping a number of files
 * ({@code <unit>.log}, {@code <unit>.log.1} newest rotated ... {@code <unit>.log.<keep>});
 * a log that cannot be written (disk full, no directory, no descriptor) loses lines without throwing,
 * counts them and says so ({@link dev.svcmgr.core.log.LogFile#problem}, {@link dev.svcmgr.core.log.LogFile.Listener}),
 * and resumes by itself with a {@code N lines lost} marker;
 * the readers for {@code svcmgr logs}: {@link dev.svcmgr.core.log.LogReader#tail} (also within a time
 * span, parsed by {@link dev.svcmgr.core.log.LogRecords}) and {@link dev.svcmgr.core.log.LogReader#follow};
 * and {@link dev.svcmgr.core.log.ConsoleOutput}, the copy of every line on the daemon's stdout in
 * container mode, which drops and counts rather than block.
 */
package dev.svcmgr.core.log;
