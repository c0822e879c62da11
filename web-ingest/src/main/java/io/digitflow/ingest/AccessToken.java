package io.digitflow.ingest;

import io.digitflow.config.UsageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret that opens the page and the API when {@code serve} is given one. Compared in
 * constant time; the browser's cookie holds a value derived from it (HMAC), never the token.
 */
record AccessToken(String secret) {
    static final int MIN_LENGTH = 16;

    AccessToken {
        secret = secret.strip();
        if (secret.length() < MIN_LENGTH) {
            throw new UsageException("the access token must have at least " + MIN_LENGTH + " characters (e.g. openssl rand -hex 24)");
        }
    }

    /** Whether {@code candidate} is the token (an {@code Authorization: Bearer} value or the login form's field). */
    boolean matches(String candidate) {
        return candidate != null && equal(secret, candidate.strip());
    }

    /** The value of the session cookie the login sets. */
    String sessionValue() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal("digitflow web session v1".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    boolean matchesSession(String cookie) {
        return cookie != null && equal(sessionValue(), cookie);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AccessToken[" + secret.length() + " characters]";
    }
}
