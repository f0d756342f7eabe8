package org.opendesk.rest;

import org.opendesk.account.AccountCommands;
import org.opendesk.error.DeskError;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every admin REST command of every service, in one place. The same tables drive
 * dispatch, rate limits, metrics, and the test that keeps openapi/ and postman/ in step.
 */
public final class CommandTables {
    /** Tencent IM documents 100 calls/second for each account command. */
    static final int IM_ACCOUNT_RATE = 100;

    private CommandTables() {
    }

    public static Map<String, ServiceTable> build(AccountCommands accounts) {
        Map<String, ServiceTable> tables = new LinkedHashMap<>();
        add(tables, ServiceTable.builder("im_open_login_svc",
                        DeskError.IM_INVALID_PARAM, DeskError.IM_INTERNAL, DeskError.REST_RATE_LIMIT)
                .adminRequired(DeskError.IM_ADMIN_REQUIRED)
                .command("account_import", AccountCommands.ImportReq.class, IM_ACCOUNT_RATE, accounts::accountImport)
                .command("multiaccount_import", AccountCommands.MultiImportReq.class, IM_ACCOUNT_RATE,
                        accounts::multiAccountImport)
                .command("account_check", AccountCommands.CheckReq.class, IM_ACCOUNT_RATE, accounts::accountCheck)
                .command("account_delete", AccountCommands.DeleteReq.class, IM_ACCOUNT_RATE, accounts::accountDelete)
                .build());
        return tables;
    }

    private static void add(Map<String, ServiceTable> tables, ServiceTable table) {
        tables.put(table.name(), table);
    }
}
