package dev.svcmgr.graph;

import java.util.List;

/**
 * A request the resolver refused.
 *
 * @param error one line saying why, naming units and the file and key of each edge involved
 * @param cycle the units of an ordering cycle in order, first repeated last; null when not a cycle
 */
public record Rejection(String error, List<String> cycle) implements Resolution {}
