/**
 * Pictures of what the daemon reports, drawn from protocol replies alone: the boot chart of a
 * transition and the dependency graph of a unit, as SVG (for {@code analyze plot} and the status page).
 */
package dev.svcmgr.core.render;
