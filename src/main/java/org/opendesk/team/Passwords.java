package org.opendesk.team;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;

/**
 * Member passwords: generated one-time passwords, and Argon2id hashes (Bouncy Castle) in the PHC
 * string format {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}, with OWASP's minimum parameters
 * (19 MiB, 2 passes, 1 lane). A hash records its parameters, so stronger ones later still verify
 * the old hashes. Passwords are never logged or stored in clear.
 *
 * <p>Each derivation takes {@value #MEMORY_KIB} KiB of heap, so only a few run at once (one per
 * core, at least two): a burst of logins or added members waits its turn instead of filling the
 * heap. A stored hash whose parameters are out of bounds does not verify (it cannot make us
 * allocate without limit).
 */
public final class Passwords {
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 16;
    private static final int MAX_PARALLELISM = 16;
    private static final Semaphore DERIVING = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);

    private Passwords() {
    }

    /** A new random password of 16 characters (about 93 bits). */
    public static String generate() {
        StringBuilder out = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    public static String hash(String password) {
        return hash(password, MEMORY_KIB, ITERATIONS, PARALLELISM);
    }

    /** A hash with the given parameters (tests: hashes made with other parameters still verify). */
    static String hash(String password, int memoryKib, int iterations, int parallelism) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(hash);
    }

    /** Whether the password matches the stored hash (constant-time comparison); false for anything unreadable. */
    public static boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 6 || !parts[0].isEmpty() || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        byte[] salt;
        byte[] expected;
        try {
            String[] params = parts[3].split(",", -1);
            if (params.length != 3) {
                return false;
            }
            for (String kv : params) {
                if (kv.length() < 3 || kv.charAt(1) != '=') {
                    return false;
                }
                int v = Integer.parseInt(kv.substring(2));
                switch (kv.charAt(0)) {
                    case 'm' -> m = v;
                    case 't' -> t = v;
                    case 'p' -> p = v;
                    default -> {
                        return false;
                    }
                }
            }
            salt = B64D.decode(parts[4]);
            expected = B64D.decode(parts[5]);
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return false;
        }
        if (p < 1 || p > MAX_PARALLELISM || m < 8 * p || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS
                || salt.length < 8 || expected.length < 16 || expected.length > 64) {
            return false;
        }
        return MessageDigest.isEqual(expected, derive(password, salt, m, t, p, expected.length));
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        byte[] out = new byte[length];
        DERIVING.acquireUninterruptibly(); // the generator allocates its memory in init
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withMemoryAsKB(memoryKib)
                    .withIterations(iterations).withParallelism(parallelism).build());
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            DERIVING.release();
        }
        return out;
    }
}
