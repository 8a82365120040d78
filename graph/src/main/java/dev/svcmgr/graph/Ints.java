package dev.svcmgr.graph;

/** A growable int list used as a worklist (FIFO with {@link #poll}); the resolver's traversals run on these. */
final class Ints {
    int[] a = new int[16];
    int head;
    int size;

    void add(int v) {
        if (size == a.length) a = java.util.Arrays.copyOf(a, size * 2);
        a[size++] = v;
    }

    boolean isEmpty() { return head == size; }

    int poll() { return a[head++]; }
}
