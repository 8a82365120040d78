/**
 * JMH benchmarks of the pure parts (the resolver on generated unit systems); whole-command and peer
 * benchmarks are scripts under {@code bench/} and {@code ../shared/bench-peers}. Figures go to
 * docs/benchmarks.md with the command that produced them.
 */
package dev.svcmgr.bench;
