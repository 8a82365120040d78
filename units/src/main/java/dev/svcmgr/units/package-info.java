/**
 * What a unit is: immutable records ({@link dev.svcmgr.units.Unit}, {@link dev.svcmgr.units.Dependency},
 * {@link dev.svcmgr.units.UnitSet}) and the loader that turns directories of YAML into a
 * {@code UnitSet} plus located problems. SnakeYAML never leaves this package tree.
 */
package dev.svcmgr.units;
