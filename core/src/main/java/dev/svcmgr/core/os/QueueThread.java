package dev.svcmgr.core.os;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * A queue worked in order by one thread of its own (behind the loop, {@link OneThread#background}, when
 * asked), started by the first item and ended after {@code idleMs} without one: an idle manager keeps no
 * thread for it.
 * The queue and the thread are guarded by {@code this}; {@link #working} is held while an item is taken
 * and worked, so that whoever takes it too (to cancel, to claim, to work the rest now) knows that nothing
 * it removed is worked afterwards and that the item under way is done when it gets the lock.
 */
abstract class QueueThread<T> implements Runnable {
    private final String name;
    private final long idleMs;
    private final boolean background;
    /** Items to work, in order (a set: an item queued twice is worked once). */
    protected final LinkedHashSet<T> queue = new LinkedHashSet<>();
    protected final Object working = new Object();
    private Thread thread;

    QueueThread(String name, long idleMs, boolean background) {
        this.name = name;
        this.idleMs = idleMs;
        this.background = background;
    }

    /** Works one item (on the queue's thread, holding {@link #working}). */
    protected abstract void work(T item);

    /**
     * Wakes or starts the thread after items were queued; call holding {@code this}. False when no thread
     * could be started (a task limit): the caller then works the items itself.
     */
    protected final boolean wake() {
        if (thread != null) {
            notifyAll();
            return true;
        }
        thread = new Thread(this, name);
        thread.setDaemon(true);
        try {
            thread.start();
            return true;
        } catch (OutOfMemoryError | RuntimeException e) {
            thread = null;
            return false;
        }
    }

    @Override
    public final void run() {
        if (background) OneThread.background();
        try {
            loop();
        } finally {
            synchronized (this) {
                if (thread == Thread.currentThread()) {
                    // ended by an Error: what is queued gets another thread (no thread to be had: the next item tries again)
                    thread = null;
                    if (!queue.isEmpty()) wake();
                }
            }
        }
    }

    private void loop() {
        while (true) {
            synchronized (this) {
                long end = System.nanoTime() + idleMs * 1_000_000;
                while (queue.isEmpty()) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        thread = null;
                        return;
                    }
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            synchronized (working) {
                T item;
                synchronized (this) {
                    Iterator<T> i = queue.iterator();
                    if (!i.hasNext()) continue; // taken meanwhile
                    item = i.next();
                    i.remove();
                }
                work(item);
            }
        }
    }
}
