package org.fsnap.server.state;

/**
 * Open and lock state: stateids, open owners, share reservations and byte-range locks
 * (RFC 8881 sections 8, 9). (Implementation: state work.)
 */
public final class StateTable {
}
