package org.opendesk.rest;

import org.opendesk.account.AccountCommands;
import org.opendesk.error.DeskError;
import org.opendesk.robot.KnowledgeCommands;
import org.opendesk.robot.Library;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every admin REST command of every service, in one place. The same tables drive
 * dispatch, rate limits, metrics, and the test that keeps openapi/ and postman/ in step.
 */
public final class CommandTables {
    /** Tencent IM documents 100 calls/second for each account command. */
    static final int IM_ACCOUNT_RATE = 100;
    /** The seed marks the knowledge-base commands 最高调用频率 5次/秒. */
    static final int ROBOT_RATE = 5;

    private CommandTables() {
    }

    public static Map<String, ServiceTable> build(AccountCommands accounts, KnowledgeCommands knowledge) {
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
        add(tables, ServiceTable.builder("openim_console_http_svc",
                        DeskError.ROBOT_INVALID_PARAM, DeskError.ROBOT_INTERNAL, DeskError.ROBOT_RATE_LIMIT)
                .adminRequired(DeskError.ROBOT_ADMIN_REQUIRED)
                .command("add_faq_category", KnowledgeCommands.AddCategoryReq.class, ROBOT_RATE,
                        knowledge.addCategory(Library.FAQ))
                .command("update_faq_category", KnowledgeCommands.UpdateCategoryReq.class, ROBOT_RATE,
                        knowledge.updateCategory(Library.FAQ))
                .command("del_faq_category", KnowledgeCommands.DeleteCategoryReq.class, ROBOT_RATE,
                        knowledge.deleteCategory(Library.FAQ))
                .command("desc_faq_category", KnowledgeCommands.DescCategoryReq.class, ROBOT_RATE,
                        knowledge.describeCategories(Library.FAQ))
                .command("add_chitchat_category", KnowledgeCommands.AddCategoryReq.class, ROBOT_RATE,
                        knowledge.addCategory(Library.CHITCHAT))
                .command("update_chitchat_category", KnowledgeCommands.UpdateCategoryReq.class, ROBOT_RATE,
                        knowledge.updateCategory(Library.CHITCHAT))
                .command("del_chitchat_category", KnowledgeCommands.DeleteCategoryReq.class, ROBOT_RATE,
                        knowledge.deleteCategory(Library.CHITCHAT))
                .command("desc_chitchat_category", KnowledgeCommands.DescCategoryReq.class, ROBOT_RATE,
                        knowledge.describeCategories(Library.CHITCHAT))
                .build());
        return tables;
    }

    private static void add(Map<String, ServiceTable> tables, ServiceTable table) {
        tables.put(table.name(), table);
    }
}
