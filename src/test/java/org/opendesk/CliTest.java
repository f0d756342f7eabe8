package org.opendesk;

import org.junit.jupiter.api.Test;
import org.opendesk.auth.UserSigVerifier;
import org.opendesk.tenant.App;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The development CLI: `usersig` prints exactly one token, fit for $(...). */
class CliTest {
    @Test
    void usersigPrintsOnlyAVerifiableToken() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cli.run(new String[] {"usersig", "--sdkappid", "1400000009", "--key", "cli-key",
                    "--identifier", "ops", "--expire", "600"});
        } finally {
            System.setOut(original);
        }
        assertEquals(0, code);
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.lines().count(), "exactly one line: " + out);
        new UserSigVerifier(Clock.systemUTC(), 10).verify(new App(1_400_000_009L, "cli-key", Set.of("ops")), "ops", out.strip());
    }

    @Test
    void badArgumentsAreExplained() {
        assertEquals(2, Cli.run(new String[] {"usersig"}));
        assertEquals(2, Cli.run(new String[] {"frobnicate"}));
    }
}
