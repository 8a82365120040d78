/**
 * The one thread that owns unit state, and the only clock the engine and the supervisors read.
 * {@link dev.svcmgr.core.loop.Loop} is the port; {@link dev.svcmgr.core.loop.ThreadLoop} runs it on a
 * real thread with the real clocks; {@link dev.svcmgr.core.loop.ManualLoop} runs it on the caller's
 * thread with a clock that moves only when told to (engine and supervisor tests, {@code svcmgr simulate}).
 */
package dev.svcmgr.core.loop;
