package io.github.sfnfail.camel.journal;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Task tokens shaped like real ones: long, base64-like, with {@code /} and {@code +}. */
final class TestTokens {

    private TestTokens() {
    }

    /** A token of the given length (at most 2048), starting like the service's. */
    static String token(int length) {
        StringBuilder token = new StringBuilder("AQCEAAAAKgAAAAMA");
        byte[] random = new byte[length];
        while (token.length() < length) {
            ThreadLocalRandom.current().nextBytes(random);
            token.append(Base64.getEncoder().withoutPadding().encodeToString(random));
        }
        String result = token.substring(0, length);
        return result.contains("/") && result.contains("+") ? result : token(length);
    }

    static String token() {
        return token(ThreadLocalRandom.current().nextInt(600, 2049));
    }
}
