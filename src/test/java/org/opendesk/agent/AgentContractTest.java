package org.opendesk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.opendesk.json.Json;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent API's routes, openapi/openapi.yaml and the Postman collection's folder "Agent API" list
 * the same routes (ContractTest does this for the /v4 commands).
 */
class AgentContractTest {
    private static final String SOCKET = "GET /agent/v1/ws";

    private static TreeSet<String> routes() {
        return new TreeSet<>(new AgentApi(null, null, null, null, 0).routes());
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiDocumentsExactlyTheAgentRoutesAndTheSocket() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(Path.of("openapi/openapi.yaml")));
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        TreeSet<String> documented = new TreeSet<>();
        paths.forEach((path, item) -> {
            if (path.startsWith("/agent/")) {
                ((Map<String, Object>) item).forEach((method, op) -> {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                    Map<String, Object> operation = (Map<String, Object>) op;
                    assertEquals(List.of("agent"), operation.get("tags"), path);
                    assertNotNull(operation.get("operationId"), path);
                });
            }
        });
        TreeSet<String> expected = routes();
        expected.add(SOCKET);
        assertEquals(expected, documented, "AgentApi routes vs /agent paths in openapi/openapi.yaml");
    }

    @Test
    void postmanCallsEveryAgentRoute() throws IOException {
        JsonNode collection = Json.mapper().readTree(Files.readString(Path.of("postman/desk.postman_collection.json")));
        JsonNode folder = null;
        for (JsonNode item : collection.path("item")) {
            if ("Agent API".equals(item.path("name").asText())) {
                folder = item;
            }
        }
        assertNotNull(folder, "the collection has a folder Agent API");
        TreeSet<String> requested = new TreeSet<>();
        for (JsonNode item : folder.path("item")) {
            String raw = item.path("request").path("url").path("raw").asText();
            int q = raw.indexOf('?');
            String path = (q < 0 ? raw : raw.substring(0, q)).replace("{{baseUrl}}", "").replace("{{agentSessionId}}",
                    "{SessionId}");
            requested.add(item.path("request").path("method").asText() + " " + path);
        }
        assertEquals(routes(), requested, "AgentApi routes vs the requests of the folder Agent API");
        assertTrue(folder.path("item").path(0).path("name").asText().equals("login"), "login comes first");
    }
}
