package io.digitflow.ingest;

import java.util.Optional;
import java.util.Set;

/**
 * Who may talk to the server: the access token (none: no login), whether it deliberately serves
 * beyond loopback without one, and the host names and origins it accepts besides its own.
 *
 * @param allowedHosts   host names the server answers to besides localhost and IP addresses ({@code *}: any)
 * @param allowedOrigins origins ({@code https://name[:port]}) whose pages may write besides the server's own
 */
record Access(Optional<AccessToken> token, boolean open, Set<String> allowedHosts, Set<String> allowedOrigins) {
    static final Access LOOPBACK = new Access(Optional.empty(), false, Set.of(), Set.of());

    Access {
        allowedHosts = Set.copyOf(allowedHosts);
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    Access withToken(AccessToken t) {
        return new Access(Optional.of(t), open, allowedHosts, allowedOrigins);
    }
}
