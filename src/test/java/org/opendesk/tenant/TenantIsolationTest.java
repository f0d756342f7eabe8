package org.opendesk.tenant;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.storage.Params;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two apps on one server never see or change each other's data. */
@ServerTest
class TenantIsolationTest {
    private static final String SVC = "im_open_login_svc";
    private static Desk desk;
    private final AdminClient client;

    TenantIsolationTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of());
    }

    private static String check(String id) {
        return "{\"CheckItem\":[{\"UserID\":\"" + id + "\"}]}";
    }

    private static String statusOf(AdminClient.Reply reply) {
        assertTrue(reply.ok(), reply.raw());
        return reply.json().path("ResultItem").get(0).path("AccountStatus").asText();
    }

    @Test
    void accountsOfOneAppAreInvisibleToTheOther() {
        assertTrue(client.callA(SVC, "account_import", "{\"UserID\":\"only_in_a\"}").ok());
        assertTrue(client.callA(SVC, "account_import", "{\"UserID\":\"same_name\",\"Nick\":\"A\"}").ok());
        assertTrue(client.callB(SVC, "account_import", "{\"UserID\":\"same_name\",\"Nick\":\"B\"}").ok());

        assertEquals("Imported", statusOf(client.callA(SVC, "account_check", check("only_in_a"))));
        assertEquals("NotImported", statusOf(client.callB(SVC, "account_check", check("only_in_a"))));

        AdminClient.Reply deleteFromB = client.callB(SVC, "account_delete", "{\"DeleteItem\":[{\"UserID\":\"only_in_a\"}]}");
        assertEquals(70107, deleteFromB.json().path("ResultItem").get(0).path("ResultCode").asInt());
        assertEquals("Imported", statusOf(client.callA(SVC, "account_check", check("only_in_a"))));

        assertTrue(client.callB(SVC, "account_delete", "{\"DeleteItem\":[{\"UserID\":\"same_name\"}]}").ok());
        assertEquals("NotImported", statusOf(client.callB(SVC, "account_check", check("same_name"))));
        assertEquals("Imported", statusOf(client.callA(SVC, "account_check", check("same_name"))));
    }

    @Test
    void anAdminOfOneAppIsNotAnAdminOfTheOther() {
        desk.tenants().upsert(1_400_000_055L, "key-55", java.util.List.of("boss_55"));
        AdminClient.Reply reply = client.call(SVC, "account_check",
                AdminClient.query(TestDesk.APP_A, "boss_55", TestDesk.sig(TestDesk.APP_A, TestDesk.KEY_A, "boss_55", 3600)),
                check("administrator"));
        assertEquals(70403, reply.code(), reply.raw());
    }

    @Test
    void tenantStatementsWithoutTheTenantFilterAreRefused() {
        Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tenant.db().list("leaky",
                "SELECT user_id FROM im_account", Params.of(), row -> row));
        assertTrue(e.getMessage().contains(":sdkappid"));
        // and a caller cannot smuggle another tenant's id: :sdkappid is always this tenant's
        long count = tenant.db().one("count", "SELECT COUNT(*) AS n FROM im_account WHERE sdkappid = :sdkappid",
                Params.of("sdkappid", TestDesk.APP_B), row -> org.opendesk.storage.Sql.longValue(row, "n")).orElseThrow();
        long realA = tenant.db().one("count-a", "SELECT COUNT(*) AS n FROM im_account WHERE sdkappid = " + TestDesk.APP_A
                + " AND :sdkappid = :sdkappid", Params.of(), row -> org.opendesk.storage.Sql.longValue(row, "n")).orElseThrow();
        assertEquals(realA, count);
    }
}
