package org.fsnap.server.state;

/** channel_attrs4 of RFC 8881 section 18.36: negotiated limits of one session channel. */
public record ChannelAttributes(int headerPadSize, int maxRequestSize, int maxResponseSize,
                                int maxResponseSizeCached, int maxOperations, int maxRequests) {

    /** The server's side of the negotiation: the smaller of what the client asks and we allow. */
    public ChannelAttributes limitTo(ChannelAttributes server) {
        return new ChannelAttributes(0,
                Math.min(maxRequestSize, server.maxRequestSize),
                Math.min(maxResponseSize, server.maxResponseSize),
                Math.min(maxResponseSizeCached, server.maxResponseSizeCached),
                Math.min(maxOperations, server.maxOperations),
                Math.max(1, Math.min(maxRequests, server.maxRequests)));
    }
}
