package org.fsnap.server.attr;

/**
 * Maps uids/gids to NFSv4 owner strings and back (RFC 8881 section 5.9). Linux clients with
 * AUTH_SYS send and accept numeric strings ("1000"); "name@domain" is accepted too.
 * (Implementation: attribute work.)
 */
public final class OwnerMapper {
    private final String domain;

    public OwnerMapper(String domain) {
        this.domain = domain;
    }

    public String domain() {
        return domain;
    }
}
