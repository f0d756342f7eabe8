package org.opendesk.rest;

import org.opendesk.account.AccountCommands;
import org.opendesk.callback.CallbackCommands;
import org.opendesk.conversation.ConversationCommands;
import org.opendesk.conversation.OpenImCommands;
import org.opendesk.error.DeskError;
import org.opendesk.human.HumanCommands;
import org.opendesk.satisfaction.SatisfactionCommands;
import org.opendesk.imagent.ImAgentCommands;
import org.opendesk.robot.KnowledgeCommands;
import org.opendesk.robot.Library;
import org.opendesk.robot.RobotCommands;
import org.opendesk.team.TeamCommands;

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
    /**
     * robot_test_answer and robot_get_suggestions (our extensions): the console's online test, and
     * input guidance called as a user types; both answer from memory.
     */
    static final int TEST_ANSWER_RATE = 50;
    /** Tencent IM documents 200 calls/second for sendmsg and admin_getroammsg. */
    static final int IM_MESSAGE_RATE = 200;

    private CommandTables() {
    }

    public static Map<String, ServiceTable> build(AccountCommands accounts, KnowledgeCommands knowledge,
                                                  RobotCommands robots, ImAgentCommands imAgents,
                                                  CallbackCommands callbacks, ConversationCommands conversations,
                                                  OpenImCommands openIm, HumanCommands human, TeamCommands team,
                                                  SatisfactionCommands satisfaction) {
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
        ServiceTable.Builder robot = ServiceTable.builder("openim_console_http_svc",
                        DeskError.ROBOT_INVALID_PARAM, DeskError.ROBOT_INTERNAL, DeskError.ROBOT_RATE_LIMIT)
                .adminRequired(DeskError.ROBOT_ADMIN_REQUIRED)
                // -7 reads 参数解析失败，请检查请求包是否符合 JSON 规范: the service's own code for malformed JSON
                .malformedJson(DeskError.ROBOT_INVALID_PARAM);
        for (Library library : Library.values()) {
            String lib = library == Library.FAQ ? "faq" : "chitchat";
            robot.command("add_" + lib + "_category", KnowledgeCommands.AddCategoryReq.class, ROBOT_RATE,
                            knowledge.addCategory(library))
                    .command("update_" + lib + "_category", KnowledgeCommands.UpdateCategoryReq.class, ROBOT_RATE,
                            knowledge.updateCategory(library))
                    .command("del_" + lib + "_category", KnowledgeCommands.DeleteCategoryReq.class, ROBOT_RATE,
                            knowledge.deleteCategory(library))
                    .command("desc_" + lib + "_category", KnowledgeCommands.DescCategoryReq.class, ROBOT_RATE,
                            knowledge.describeCategories(library))
                    .command("add_" + lib, KnowledgeCommands.AddQuestionReq.class, ROBOT_RATE, knowledge.addQuestion(library))
                    .command("update_" + lib, KnowledgeCommands.UpdateQuestionReq.class, ROBOT_RATE,
                            knowledge.updateQuestion(library))
                    .command("update_" + lib + "_similar", KnowledgeCommands.UpdateSimilarReq.class, ROBOT_RATE,
                            knowledge.updateSimilar(library))
                    .command("batch_set_" + lib, KnowledgeCommands.BatchSetReq.class, ROBOT_RATE, knowledge.batchSet(library))
                    .command("list_" + lib, KnowledgeCommands.ListReq.class, ROBOT_RATE, knowledge.list(library));
        }
        // The seed states no rate for the two configuration commands.
        robot.command("desc_robot_config", RobotCommands.DescConfigReq.class, 0, robots.describeConfig())
                .command("update_robot_config", RobotCommands.UpdateConfigReq.class, 0, robots.updateConfig())
                .command("robot_add_language", RobotCommands.LanguageReq.class, ROBOT_RATE, robots.addLanguage())
                .command("robot_get_language_list", RobotCommands.RobotReq.class, ROBOT_RATE, robots.languages())
                .command("robot_del_language", RobotCommands.LanguageReq.class, ROBOT_RATE, robots.deleteLanguage())
                .command("desk_add_robot", RobotCommands.AddRobotReq.class, ROBOT_RATE, robots.addRobot())
                .extension("desk_get_robot_list", RobotCommands.RobotReq.class, ROBOT_RATE, robots.listRobots())
                .extension("desk_del_robot", RobotCommands.RobotReq.class, ROBOT_RATE, robots.deleteRobot())
                .extension("robot_test_answer", RobotCommands.TestAnswerReq.class, TEST_ANSWER_RATE, robots.testAnswer())
                .extension("robot_get_suggestions", RobotCommands.SuggestReq.class, TEST_ANSWER_RATE, robots.suggest());
        add(tables, robot.build());
        // desk_http_svc: the seed states no rate limits for these commands.
        ServiceTable.Builder desk = ServiceTable.builder("desk_http_svc", DeskError.DESK_INVALID_PARAM,
                        DeskError.DESK_INTERNAL, DeskError.REST_RATE_LIMIT)
                .command("add_im_agent", ImAgentCommands.ImAgentReq.class, 0, imAgents.add())
                .command("update_im_agent", ImAgentCommands.ImAgentReq.class, 0, imAgents.update())
                .command("delete_im_agent", ImAgentCommands.ImAgentReq.class, 0, imAgents.delete())
                .command("get_im_agent_list", ImAgentCommands.ListReq.class, 0, imAgents.list())
                .command("send_msg", ConversationCommands.SendMsgReq.class, 0, conversations.sendMsg(),
                        DeskError.MSG_JSON_PARSE)
                .command("send_stream_msg", ConversationCommands.StreamReq.class, 0, conversations.sendStreamMsg(),
                        DeskError.MSG_JSON_PARSE)
                .command("modify_msg", ConversationCommands.ModifyReq.class, 0, conversations.modifyMsg(),
                        DeskError.MSG_JSON_PARSE)
                .command("describe_chat_messages", ConversationCommands.DescribeReq.class, 0,
                        conversations.describeChatMessages())
                .command("get_session_state", ConversationCommands.StateReq.class, 0, conversations.getSessionState())
                .command("transfer_to_human", HumanCommands.TransferReq.class, 0, human.transferToHuman())
                .command("transfer_session", HumanCommands.TransferSessionReq.class, 0, human.transferSession())
                .command("contact_user", HumanCommands.ContactReq.class, 0, human.contactUser())
                .command("end_session", HumanCommands.SessionReq.class, 0, human.endSession())
                .command("suspend_session", HumanCommands.SessionReq.class, 0, human.suspendSession(true))
                .command("unsuspend_session", HumanCommands.SessionReq.class, 0, human.suspendSession(false))
                .command("mark_session", HumanCommands.MarkReq.class, 0, human.markSession())
                .extension("update_workday_calendar", HumanCommands.CalendarReq.class, 0, human.updateCalendar())
                .extension("get_workday_calendar", HumanCommands.CalendarRangeReq.class, 0, human.calendar())
                .command("get_satisfaction_settings", SatisfactionCommands.EmptyReq.class, 0, satisfaction.get())
                .command("update_satisfaction_settings", SatisfactionCommands.UpdateReq.class, 0, satisfaction.update())
                .extension("get_callback_settings", CallbackCommands.GetReq.class, 0, callbacks.get())
                .extension("update_callback_settings", CallbackCommands.UpdateReq.class, 0, callbacks.update());
        team.register(desk);
        add(tables, desk.build());
        // openim: Tencent IM's message codes (the seed lists them for send_msg); 90009 for non-admins
        add(tables, ServiceTable.builder("openim", DeskError.IM_ILLEGAL_REQUEST, DeskError.IM_SERVER_INTERNAL,
                        DeskError.REST_RATE_LIMIT)
                .adminRequired(DeskError.MSG_ADMIN_REQUIRED)
                .malformedJson(DeskError.MSG_JSON_PARSE)
                .command("sendmsg", OpenImCommands.SendReq.class, IM_MESSAGE_RATE, openIm.sendmsg())
                .command("admin_getroammsg", OpenImCommands.RoamReq.class, IM_MESSAGE_RATE, openIm.getRoamMsg())
                .build());
        return tables;
    }

    private static void add(Map<String, ServiceTable> tables, ServiceTable table) {
        tables.put(table.name(), table);
    }
}
