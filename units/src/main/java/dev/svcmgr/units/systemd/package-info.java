/**
 * Reading systemd unit files and converting them to svcmgr units ({@code svcmgr import}):
 * {@link dev.svcmgr.units.systemd.IniFile} lexes systemd's INI syntax (sections, comments,
 * continuation lines), {@link dev.svcmgr.units.systemd.Words} splits values and command
 * lines with systemd's quoting and the {@code -@:+!} prefixes,
 * {@link dev.svcmgr.units.systemd.Specifiers} resolves {@code %} specifiers, the mapping
 * ({@link dev.svcmgr.units.systemd.Converter}) turns settings into svcmgr keys or located
 * warnings, and {@link dev.svcmgr.units.systemd.YamlWriter} writes the result as YAML
 * with every string quoted where YAML could misread it. Needs no YAML library.
 */
package dev.svcmgr.units.systemd;
