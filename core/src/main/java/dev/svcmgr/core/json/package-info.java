/** A small strict JSON codec for the control protocol and {@code --json} output. */
package dev.svcmgr.core.json;
