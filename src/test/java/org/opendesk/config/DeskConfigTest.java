package org.opendesk.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeskConfigTest {
    private static final Config YAML = Config.just(ConfigSources.classpath("application.yaml"));

    @Test
    void defaults() {
        DeskConfig c = DeskConfig.load(YAML, Map.of());
        assertEquals(8080, c.port());
        assertEquals(List.of("administrator"), c.admins());
        assertNull(c.sdkAppId());
        assertTrue(c.rateLimits());
        assertTrue(c.db().isH2());
        assertTrue(c.db().url().startsWith("jdbc:h2:file:./data/desk;MODE=MySQL"), c.db().url());
        assertEquals(1_048_576, c.maxBodyBytes());
        assertEquals(28_800, c.agentTokenSeconds());
    }

    @Test
    void environmentOverridesYaml() {
        DeskConfig c = DeskConfig.load(YAML, Map.of("DESK_PORT", "9090", "DESK_SDKAPPID", "1400000123",
                "DESK_SECRET_KEY", "k", "DESK_ADMIN", "a, b ,a", "DESK_RATE_LIMITS", "off",
                "DESK_DB_URL", "jdbc:mariadb://127.0.0.1:3306/desk", "DESK_DB_USER", "u", "DESK_DB_PASSWORD", "p"));
        assertEquals(9090, c.port());
        assertEquals(1_400_000_123L, c.sdkAppId());
        assertEquals("k", c.secretKey());
        assertEquals(List.of("a", "b"), c.admins());
        assertFalse(c.rateLimits());
        assertEquals("jdbc:mariadb://127.0.0.1:3306/desk", c.db().url());
        assertEquals("u", c.db().user());
        assertEquals(600, DeskConfig.load(YAML, Map.of("DESK_AGENT_TOKEN_SECONDS", "600")).agentTokenSeconds());
    }

    @Test
    void dataDirMovesTheEmbeddedDatabase() {
        assertTrue(DeskConfig.load(YAML, Map.of("DESK_DATA_DIR", "/var/lib/desk")).db().url()
                .startsWith("jdbc:h2:file:/var/lib/desk/desk;"));
    }

    @Test
    void badValuesAreExplained() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeskConfig.load(YAML, Map.of("DESK_PORT", "http")))
                .getMessage().contains("DESK_PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeskConfig.load(YAML, Map.of("DESK_RATE_LIMITS", "maybe")))
                .getMessage().contains("DESK_RATE_LIMITS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeskConfig.load(YAML, Map.of("DESK_SDKAPPID", "-4")))
                .getMessage().contains("DESK_SDKAPPID"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeskConfig.load(YAML, Map.of("DESK_AGENT_TOKEN_SECONDS",
                "0"))).getMessage().contains("DESK_AGENT_TOKEN_SECONDS"));
    }
}
