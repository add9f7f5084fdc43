package org.fsnap.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Name lookups for host and wildcard client patterns; replaceable in tests. */
public interface HostResolver {

    /** The addresses {@code host} resolves to (empty when it does not). */
    List<InetAddress> addresses(String host);

    /** The client's name by reverse lookup, if it has one. */
    Optional<String> name(InetAddress client);

    /** The system resolver, with answers kept for {@code ttl}. */
    static HostResolver system(Duration ttl) {
        return new Cached(ttl, Clock.systemUTC());
    }

    /** A resolver that knows no names: only address and network patterns match. */
    static HostResolver none() {
        return new HostResolver() {
            @Override
            public List<InetAddress> addresses(String host) {
                return List.of();
            }

            @Override
            public Optional<String> name(InetAddress client) {
                return Optional.empty();
            }
        };
    }

    /** The JDK's resolver behind a small time-limited cache (a mount must not wait for DNS twice). */
    final class Cached implements HostResolver {
        private record Entry<T>(T value, Instant until) {
        }

        private final Duration ttl;
        private final Clock clock;
        private final Map<String, Entry<List<InetAddress>>> forward = new ConcurrentHashMap<>();
        private final Map<InetAddress, Entry<Optional<String>>> reverse = new ConcurrentHashMap<>();

        Cached(Duration ttl, Clock clock) {
            this.ttl = ttl;
            this.clock = clock;
        }

        @Override
        public List<InetAddress> addresses(String host) {
            Instant now = clock.instant();
            Entry<List<InetAddress>> e = forward.get(host);
            if (e == null || now.isAfter(e.until())) {
                List<InetAddress> found;
                try {
                    found = List.of(InetAddress.getAllByName(host));
                } catch (UnknownHostException | SecurityException ex) {
                    found = List.of();
                }
                e = new Entry<>(found, now.plus(ttl));
                forward.put(host, e);
            }
            return e.value();
        }

        @Override
        public Optional<String> name(InetAddress client) {
            Instant now = clock.instant();
            Entry<Optional<String>> e = reverse.get(client);
            if (e == null || now.isAfter(e.until())) {
                String n = client.getCanonicalHostName();
                // getCanonicalHostName answers the address itself when there is no name
                Optional<String> found = n.equals(client.getHostAddress()) ? Optional.empty() : Optional.of(n);
                e = new Entry<>(found, now.plus(ttl));
                reverse.put(client, e);
            }
            return e.value();
        }
    }
}
