package org.fsnap.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who an exports line is for: one of the client forms of exports(5), in the order of
 * precedence knfsd gives them when several entries of one export match a client.
 */
public sealed interface ClientPattern {

    /** Lower is tried first: single hosts, then networks, then wildcards, then everyone. */
    int precedence();

    /** The pattern as written. */
    String text();

    /** Whether {@code client} (normalised, IPv4-mapped IPv6 as IPv4) matches. */
    boolean matches(InetAddress client, HostResolver resolver);

    /** One address: {@code 192.168.1.10}, {@code 2001:db8::1}. */
    record Address(String text, InetAddress address) implements ClientPattern {
        @Override
        public int precedence() {
            return 0;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            return address.equals(client);
        }
    }

    /** One host by name: matches every address the name resolves to. */
    record Host(String text) implements ClientPattern {
        @Override
        public int precedence() {
            return 0;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            for (InetAddress a : resolver.addresses(text)) {
                if (normalize(a).equals(client)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A network: {@code 10.0.0.0/8}, {@code 10.0.0.0/255.0.0.0}, {@code 2001:db8::/32}. */
    record Network(String text, InetAddress base, int prefix) implements ClientPattern {
        @Override
        public int precedence() {
            return 1;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            byte[] a = base.getAddress();
            byte[] c = client.getAddress();
            if (a.length != c.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != c[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (c[full] & mask);
        }
    }

    /** Host names with {@code *} and {@code ?}: {@code *.example.com}, matched on the reverse lookup. */
    record Wildcard(String text, Pattern regex) implements ClientPattern {
        @Override
        public int precedence() {
            return 2;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            // The name must lead back to the address (forward-confirmed), as mountd checks.
            return resolver.name(client)
                    .map(n -> n.toLowerCase(Locale.ROOT))
                    .filter(n -> regex.matcher(n).matches())
                    .map(n -> resolver.addresses(n).stream().anyMatch(a -> normalize(a).equals(client)))
                    .orElse(false);
        }
    }

    /** {@code *} alone: every client. */
    record Anyone() implements ClientPattern {
        @Override
        public int precedence() {
            return 3;
        }

        @Override
        public String text() {
            return "*";
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            return true;
        }
    }

    /** IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) as the IPv4 address; others unchanged. */
    static InetAddress normalize(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return a;
    }
}
