/**
 * A simulated operating system for the real supervisors and engine: {@link
 * dev.svcmgr.core.sim.FakeProcessRuntime} (processes that live on the loop's clock and do what a
 * {@link dev.svcmgr.core.sim.FakeProcessRuntime.Script} says, as {@link dev.svcmgr.core.sim.Behaviour}s),
 * their groups, and the readiness and sd_notify ports that go with them. Deterministic and
 * single-threaded; used by the supervisor tests with a {@link dev.svcmgr.core.loop.ManualLoop}
 * and by {@code svcmgr simulate}. Owns no real process, socket or file.
 */
package dev.svcmgr.core.sim;
