package dev.svcmgr.graph;

/** What the resolver answers: a {@link Plan} or a {@link Rejection}. */
public sealed interface Resolution permits Plan, Rejection {}
