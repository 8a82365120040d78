/** How units relate: the dependency graph, closures, cycles and the pure resolver. */
package dev.svcmgr.graph;
