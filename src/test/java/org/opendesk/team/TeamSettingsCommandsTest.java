package org.opendesk.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opendesk.Desk;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opendesk.team.TeamApi.assertRefused;

/** The desk settings (desk_http_svc get_desk_settings, update_desk_settings). */
@ServerTest
class TeamSettingsCommandsTest {
    private static Desk desk;
    private final TeamApi api;

    TeamSettingsCommandsTest(Http1Client http) {
        this.api = new TeamApi(new AdminClient(http));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private static void assertSettings(JsonNode s, int mode, int accept, int rest, int max, String zone) {
        List<String> fields = new ArrayList<>();
        s.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("ActionStatus", "ErrorInfo", "ErrorCode", "RequestId", "ReceptionMode", "AcceptTimeout",
                "RestAfterAcceptTimeout", "MaxSessionsPerAgent", "TimeZone", "AgentReplyTimeout",
                "QueueOfflineTimeout", "ContactUserEnabled"), fields);
        assertEquals(mode, s.path("ReceptionMode").asInt());
        assertEquals(accept, s.path("AcceptTimeout").asInt());
        assertEquals(rest, s.path("RestAfterAcceptTimeout").asInt());
        assertEquals(max, s.path("MaxSessionsPerAgent").asInt());
        assertEquals(zone, s.path("TimeZone").asText());
    }

    @Test
    void anAppStartsWithTheDefaults() {
        // app B: the tests of app A change its settings
        AdminClient.Reply reply = api.b("get_desk_settings", Map.of());
        assertSettings(reply.json(), 0, 60, 0, 5, "Asia/Shanghai");
        assertEquals(0, reply.json().path("AgentReplyTimeout").asInt(), "the agent reply timeout is off by default");
        assertEquals(120, reply.json().path("QueueOfflineTimeout").asInt(), "a queued user may be offline 2 minutes");
        assertEquals(1, reply.json().path("ContactUserEnabled").asInt(), "members may contact users by default");
    }

    @Test
    void updateChangesTheFieldsGivenKeepsTheOthersAndAnswersTheResult() {
        JsonNode answered = api.okA("update_desk_settings", Map.of("ReceptionMode", 1, "AcceptTimeout", 30)).json();
        int max = answered.path("MaxSessionsPerAgent").asInt();
        String zone = answered.path("TimeZone").asText();
        int rest = answered.path("RestAfterAcceptTimeout").asInt();
        assertSettings(answered, 1, 30, rest, max, zone);
        assertSettings(api.okA("get_desk_settings", "{}").json(), 1, 30, rest, max, zone);
        answered = api.okA("update_desk_settings", Map.of("RestAfterAcceptTimeout", 1, "MaxSessionsPerAgent", 100,
                "TimeZone", " europe/BERLIN ")).json();
        assertSettings(answered, 1, 30, 1, 100, "Europe/Berlin");
        // routing reads the settings through a short cache: a change here is seen at once
        DeskSettings live = desk.team().liveSettings(desk.tenants().find(TestDesk.APP_A).orElseThrow().db());
        assertEquals(new DeskSettings(1, 30, true, 100, "Europe/Berlin"), live);
        answered = api.okA("update_desk_settings", Map.of("ReceptionMode", 0, "AcceptTimeout", 5, "RestAfterAcceptTimeout", 0,
                "MaxSessionsPerAgent", 1, "TimeZone", "UTC")).json();
        assertSettings(answered, 0, 5, 0, 1, "UTC");
        assertEquals(DeskSettings.AUTOMATIC, desk.team().liveSettings(desk.tenants().find(TestDesk.APP_A).orElseThrow().db())
                .receptionMode());
        assertSettings(api.okA("update_desk_settings", Map.of("AcceptTimeout", 3600)).json(), 0, 3600, 0, 1, "UTC");
        // {} and nulls change nothing
        assertSettings(api.okA("update_desk_settings", "{}").json(), 0, 3600, 0, 1, "UTC");
        assertSettings(api.okA("update_desk_settings", "{\"ReceptionMode\":null,\"TimeZone\":null}").json(), 0, 3600, 0, 1,
                "UTC");
        // app B keeps its own
        assertSettings(api.b("get_desk_settings", Map.of()).json(), 0, 60, 0, 5, "Asia/Shanghai");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"ReceptionMode\":2}|ReceptionMode,2",
        "{\"ReceptionMode\":-1}|ReceptionMode",
        "{\"ReceptionMode\":\"manual\"}|ReceptionMode,integer",
        "{\"ReceptionMode\":true}|ReceptionMode,integer",
        "{\"AcceptTimeout\":4}|AcceptTimeout,4",
        "{\"AcceptTimeout\":3601}|AcceptTimeout,3601",
        "{\"AcceptTimeout\":\"30\"}|AcceptTimeout,integer",
        "{\"AcceptTimeout\":30.5}|AcceptTimeout,integer",
        "{\"AcceptTimeout\":99999999999}|AcceptTimeout,integer",
        "{\"RestAfterAcceptTimeout\":2}|RestAfterAcceptTimeout",
        "{\"RestAfterAcceptTimeout\":true}|RestAfterAcceptTimeout,integer",
        "{\"MaxSessionsPerAgent\":0}|MaxSessionsPerAgent,0",
        "{\"MaxSessionsPerAgent\":101}|MaxSessionsPerAgent,101",
        "{\"TimeZone\":\"Mars/Olympus\"}|TimeZone,Mars/Olympus",
        "{\"TimeZone\":\"+08:00\"}|TimeZone",
        "{\"TimeZone\":\"\"}|TimeZone",
        "{\"TimeZone\":8}|TimeZone,string",
        "{\"AgentReplyTimeout\":-1}|AgentReplyTimeout,-1",
        "{\"AgentReplyTimeout\":604801}|AgentReplyTimeout,604801",
        "{\"AgentReplyTimeout\":\"60\"}|AgentReplyTimeout,integer",
        "{\"QueueOfflineTimeout\":-5}|QueueOfflineTimeout,-5",
        "{\"QueueOfflineTimeout\":1.5}|QueueOfflineTimeout,integer",
        "{\"ContactUserEnabled\":2}|ContactUserEnabled",
        "{\"ContactUserEnabled\":\"1\"}|ContactUserEnabled,integer",
        "{\"ReceptionMode\":1,\"TimeZone\":\"Nowhere\"}|TimeZone"})
    void outOfRangeOrMistypedSettingsAnswer141004AndChangeNothing(String body, String words) {
        String before = settings();
        assertRefused(api.a("update_desk_settings", body), words.split(","));
        assertEquals(before, settings());
    }

    private String settings() {
        ObjectNode s = (ObjectNode) api.okA("get_desk_settings", "{}").json();
        s.remove("RequestId");
        return s.toString();
    }
}
