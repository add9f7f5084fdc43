package org.fsnap.config;

/** A HOST:PORT to bind to; IPv6 literals in brackets ("[::1]:2049"). */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text, String what) throws ConfigException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException(what + " must be HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": port '" + text.substring(colon + 1)
                    + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(what + ": port " + port + " is out of range 0-65535");
        }
        return new ListenAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
