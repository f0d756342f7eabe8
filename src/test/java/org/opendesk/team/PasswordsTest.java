package org.opendesk.team;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Member passwords: generated passwords, Argon2id hashes in the PHC format, verification. */
class PasswordsTest {
    private static final String PASSWORD = "correct horse battery staple";

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = Passwords.hash(PASSWORD);
        assertTrue(Passwords.verify(PASSWORD, hash));
        assertFalse(Passwords.verify("correct horse battery stapl", hash));
        assertFalse(Passwords.verify(PASSWORD + " ", hash));
        assertFalse(Passwords.verify("", hash));
        assertFalse(Passwords.verify(null, hash));
        assertFalse(Passwords.verify(PASSWORD, null));
    }

    @Test
    void theHashIsAPhcStringWithItsParametersAndNeverThePassword() {
        String hash = Passwords.hash(PASSWORD);
        assertTrue(hash.startsWith("$argon2id$v=19$m=" + Passwords.MEMORY_KIB + ",t=" + Passwords.ITERATIONS + ",p="
                + Passwords.PARALLELISM + "$"), hash);
        assertEquals(6, hash.split("\\$", -1).length, hash);
        assertFalse(hash.contains(PASSWORD));
        assertFalse(hash.contains("horse"));
    }

    @Test
    void twoHashesOfOnePasswordDifferAndBothVerify() {
        String first = Passwords.hash(PASSWORD);
        String second = Passwords.hash(PASSWORD);
        assertNotEquals(first, second, "each hash has a salt of its own");
        assertNotEquals(first.split("\\$")[4], second.split("\\$")[4], "the salts differ");
        assertTrue(Passwords.verify(PASSWORD, first));
        assertTrue(Passwords.verify(PASSWORD, second));
    }

    @Test
    void nonAsciiPasswordsVerify() {
        String password = "密码-пароль-🔑";
        assertTrue(Passwords.verify(password, Passwords.hash(password)));
        assertFalse(Passwords.verify("密码-пароль-", Passwords.hash(password)));
    }

    @Test
    void aHashMadeWithOtherParametersStillVerifies() {
        // a hash records its parameters: stronger defaults later must not lock out members with older hashes
        String older = Passwords.hash(PASSWORD, 64, 1, 1);
        assertTrue(older.startsWith("$argon2id$v=19$m=64,t=1,p=1$"), older);
        assertTrue(Passwords.verify(PASSWORD, older));
        assertFalse(Passwords.verify("wrong", older));
        // the same salt and digest read with other parameters is another hash
        String[] parts = older.split("\\$");
        assertFalse(Passwords.verify(PASSWORD, "$argon2id$v=19$m=64,t=2,p=1$" + parts[4] + "$" + parts[5]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain text", "$argon2id$", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA",
        "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=19456,t=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=x,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=19456,t=2,p=1$not base64!$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$",
        "$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=2147483647,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g$extra",
        "x$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"})
    void aMalformedHashVerifiesNothing(String stored) {
        assertFalse(Passwords.verify(PASSWORD, stored), stored);
    }

    @Test
    void generatedPasswordsAreLongUnambiguousAndDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String password = Passwords.generate();
            assertEquals(16, password.length(), password);
            assertTrue(password.matches("[A-Za-z2-9]{16}"), password);
            assertFalse(password.matches(".*[0O1lI].*"), "no look-alike characters: " + password);
            assertTrue(seen.add(password), "repeated: " + password);
        }
    }
}
