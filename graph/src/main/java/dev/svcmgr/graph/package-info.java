/**
 * How units relate: the immutable {@link dev.svcmgr.graph.DependencyGraph} built from a unit set,
 * the behaviour table of dependency kinds ({@link dev.svcmgr.graph.EdgeKind}, {@link dev.svcmgr.graph.Atom}),
 * the pure {@link dev.svcmgr.graph.Resolver} ({@code (graph, states, request) -> Plan | Rejection}),
 * ordering-cycle search ({@link dev.svcmgr.graph.Cycles}), and the data behind {@code graph} and
 * {@code list-dependencies} ({@link dev.svcmgr.graph.GraphView}, {@link dev.svcmgr.graph.DependencyTree}).
 * No I/O, no clock, no logging. JGraphT is used here and nowhere else, and never in a public signature.
 * See docs/graph.md.
 */
package dev.svcmgr.graph;
