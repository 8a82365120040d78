package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The engine's queues and the one loop that drains them (dinit's {@code process_queues}): nothing
 * in the engine runs while another state change is half-done on the stack (STYLE habit 14).
 *
 * <ul>
 * <li><b>notices</b>: observers' calls and transaction completions, made once the step that
 *   caused them is done;</li>
 * <li><b>changes</b>: state changes reported by service drivers. A driver that reports while the
 *   engine is on the stack (inside {@code start()}, say) is queued and handled after the current
 *   call returns; one that reports while the engine is idle (a timer, the reaper) is handled by a
 *   drain posted to the loop, never inside the report: the driver may be half-way through its own
 *   change, and the engine calling it back there (a restart's stop and start, say) would act on a
 *   state it is about to overwrite;</li>
 * <li><b>ready</b>: jobs whose pending count reached zero, run in the order they became ready.
 *   The executor never runs a job from inside another one's completion, so a 10,000-unit chain
 *   runs without deep stacks (STYLE habit 7).</li>
 * </ul>
 * Every entry into the engine goes through {@link #enter()} and {@link #leave()}; the outermost
 * {@code leave} drains, notices first, then changes, then ready jobs, until all three are empty.
 */
final class Worklist {
    /** A driver's report: {@code quiet} when the job acting on the unit caused it on purpose (clearing a failure). */
    record Change(String unit, UnitSnapshot before, UnitSnapshot after, boolean quiet) {}

    private final ArrayDeque<Runnable> notices = new ArrayDeque<>();
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private final ArrayDeque<JobRun> ready = new ArrayDeque<>();
    private Consumer<Change> onChange = c -> { };
    private Consumer<JobRun> onReady = j -> { };
    private int depth;
    private final Loop loop;
    private boolean drainPosted;

    Worklist(Loop loop) { this.loop = loop; }

    /** Who handles changes and runs ready jobs (set once, when the engine is wired). */
    void handlers(Consumer<Change> changes, Consumer<JobRun> ready) {
        this.onChange = changes;
        this.onReady = ready;
    }

    /** The engine is entered (a request, a timer, a driver's report). */
    void enter() { depth++; }

    /** The engine is left; the outermost leave drains the queues. */
    void leave() {
        depth--;
        if (depth == 0) drain();
    }

    /** True while the engine is on the stack. */
    boolean busy() { return depth > 0; }

    void notice(Runnable r) { notices.add(r); }

    void ready(JobRun j) { ready.add(j); }

    /** A driver reported: queued; when the engine is not on the stack, a drain is posted to the loop. */
    void change(Change c) {
        changes.add(c);
        if (depth == 0 && !drainPosted) {
            drainPosted = true;
            loop.execute(() -> {
                drainPosted = false;
                if (depth == 0) drain();
            });
        }
    }

    private void drain() {
        depth++;
        try {
            while (true) {
                Runnable n = notices.poll();
                if (n != null) {
                    n.run();
                    continue;
                }
                Change c = changes.poll();
                if (c != null) {
                    onChange.accept(c);
                    continue;
                }
                JobRun j = ready.poll();
                if (j == null) break;
                onReady.accept(j);
            }
        } finally {
            depth--;
        }
    }
}
