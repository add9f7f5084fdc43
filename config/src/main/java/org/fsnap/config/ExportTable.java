package org.fsnap.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exports of an exports file, and which options apply to which client.
 *
 * <p>For one export, the entry that decides is the first matching one of the most specific
 * kind (exports(5)): single hosts, then networks, then wildcards, then {@code *}; within one
 * kind, the first in the line.
 */
public final class ExportTable {

    /** One client entry of an export line: a pattern and its options. */
    public record Rule(ClientPattern client, ExportOptions options) {
    }

    /** One exported directory and its client entries, in file order. */
    public record Export(Path path, List<Rule> rules, int line) {
        public Export {
            rules = List.copyOf(rules);
        }
    }

    private final String source;
    private final List<Export> exports;
    private final HostResolver resolver;

    public ExportTable(String source, List<Export> exports, HostResolver resolver) {
        this.source = source;
        this.exports = List.copyOf(exports);
        this.resolver = resolver;
    }

    /** The file it came from, for messages. */
    public String source() {
        return source;
    }

    public List<Export> exports() {
        return exports;
    }

    public HostResolver resolver() {
        return resolver;
    }

    /** The same exports with another resolver (tests). */
    public ExportTable withResolver(HostResolver other) {
        return new ExportTable(source, exports, other);
    }

    /** The options {@code client} has on {@code exportPath}; empty when it may not mount it. */
    public Optional<ExportOptions> match(Path exportPath, InetAddress client) {
        for (Export e : exports) {
            if (e.path().equals(exportPath)) {
                return match(e, client);
            }
        }
        return Optional.empty();
    }

    /** Every export {@code client} may mount, with its options there, in file order. */
    public Map<Path, ExportOptions> match(InetAddress client) {
        Map<Path, ExportOptions> result = new LinkedHashMap<>();
        for (Export e : exports) {
            match(e, client).ifPresent(o -> result.put(e.path(), o));
        }
        return result;
    }

    /** The options of the decisive entry of one export for {@code client}. */
    public Optional<ExportOptions> match(Export export, InetAddress client) {
        if (client == null) {
            return Optional.empty();
        }
        InetAddress c = ClientPattern.normalize(client);
        List<Rule> ordered = new ArrayList<>(export.rules());
        ordered.sort(Comparator.comparingInt(r -> r.client().precedence())); // stable: file order kept
        for (Rule r : ordered) {
            if (r.client().matches(c, resolver)) {
                return Optional.of(r.options());
            }
        }
        return Optional.empty();
    }

    /** The export holding {@code path} (the deepest one when exports nest). */
    public Optional<Export> exportOf(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Export best = null;
        for (Export e : exports) {
            if (p.startsWith(e.path()) && (best == null || e.path().getNameCount() > best.path().getNameCount())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }
}
