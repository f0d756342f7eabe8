package org.opendesk.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.opendesk.account.AccountCommands;
import org.opendesk.callback.CallbackCommands;
import org.opendesk.conversation.ConversationCommands;
import org.opendesk.conversation.OpenImCommands;
import org.opendesk.imagent.ImAgentCommands;
import org.opendesk.json.Json;
import org.opendesk.robot.KnowledgeCommands;
import org.opendesk.robot.RobotCommands;
import org.opendesk.team.TeamCommands;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The command tables, openapi/openapi.yaml and postman/desk.postman_collection.json list the
 * same commands: a command added to a table without its documentation and collection
 * request (or the other way round) fails here.
 */
class ContractTest {
    private static Map<String, Command<?>> tableCommands() {
        Map<String, Command<?>> all = new TreeMap<>();
        CommandTables.build(new AccountCommands(null), new KnowledgeCommands(null), new RobotCommands(null, null),
                        new ImAgentCommands(null), new CallbackCommands(null), new ConversationCommands(null),
                        new OpenImCommands(null), new org.opendesk.human.HumanCommands(null), new TeamCommands(null),
                        new org.opendesk.satisfaction.SatisfactionCommands(null)).values()
                .forEach(t -> t.commands().forEach(c -> all.put(c.path(), c)));
        return all;
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiDocumentsExactlyTheTableCommands() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(Path.of("openapi/openapi.yaml")));
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertNotNull(paths, "openapi.yaml has no paths");
        Map<String, Command<?>> commands = tableCommands();
        TreeSet<String> documented = new TreeSet<>();
        paths.forEach((path, item) -> {
            if (path.startsWith("/v4/")) {
                documented.add(path);
                Map<String, Object> post = (Map<String, Object>) ((Map<String, Object>) item).get("post");
                assertNotNull(post, path + " must document POST");
                Command<?> c = commands.get(path);
                if (c != null) {
                    assertEquals(c.name(), post.get("operationId"), path);
                    assertEquals(c.extension(), post.get("x-extension"), path + " x-extension");
                    Object rate = post.get("x-rate-limit-per-second");
                    assertEquals(c.ratePerSecond(), rate == null ? 0 : ((Number) rate).intValue(), path + " rate limit");
                    assertNotNull(post.get("x-error-codes"), path + " lists its error codes");
                }
            }
        });
        assertEquals(commands.keySet(), documented, "commands in tables vs paths in openapi/openapi.yaml");
    }

    @Test
    void postmanCollectionExercisesExactlyTheTableCommands() throws IOException {
        JsonNode collection = Json.mapper().readTree(Files.readString(Path.of("postman/desk.postman_collection.json")));
        TreeSet<String> requested = new TreeSet<>();
        collect(collection.path("item"), requested);
        assertEquals(tableCommands().keySet(), requested, "commands in tables vs requests in the Postman collection");
    }

    private static void collect(JsonNode items, TreeSet<String> into) {
        for (JsonNode item : items) {
            if (item.has("item")) {
                collect(item.path("item"), into);
            }
            JsonNode url = item.path("request").path("url");
            String raw = url.isTextual() ? url.asText() : url.path("raw").asText();
            int v4 = raw.indexOf("/v4/");
            if (v4 >= 0) {
                int q = raw.indexOf('?', v4);
                into.add(q < 0 ? raw.substring(v4) : raw.substring(v4, q));
            }
        }
    }
}
