/**
 * The unit loader: reads unit directories (precedence, symlink aliases, drop-ins,
 * templates) with SnakeYAML's node API under strict limits, validates every key by
 * the unit schema, and compiles the result into a closed {@link dev.svcmgr.units.UnitSet}
 * with every problem located by file, line and column. Entry point:
 * {@link dev.svcmgr.units.load.UnitLoader}. SnakeYAML types never leave this package.
 */
package dev.svcmgr.units.load;
