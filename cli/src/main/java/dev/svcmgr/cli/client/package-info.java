/** Talking to the daemon: the protocol client, the options every client command shares, human renderings. */
package dev.svcmgr.cli.client;
