package org.opendesk.error;

/**
 * Every error code this server answers with, taken from the vendor's catalogues.
 *
 * <p>Sources, so that no number is invented:
 * <ul>
 *   <li>60000-60021: Tencent Cloud IM "REST API 公共错误码" (public REST error codes),
 *       cloud.tencent.com/document/product/269/1671 (错误码 page, section REST API 公共错误码).</li>
 *   <li>70001-70107: the same page, section 账号错误码 (UserSig / account errors).</li>
 *   <li>70169, 70402, 70403, 70500: the private codes of im_open_login_svc
 *       (account_import / multiaccount_import / account_check / account_delete pages).</li>
 *   <li>141002, 141004: the Desk seed (desk_http_svc private codes), spec/desk-api.md.</li>
 *   <li>-1, -7, -14, -20, -500xx: the Desk seed (openim_console_http_svc private codes), spec/desk-api.md.</li>
 *   <li>20001-20005, 90001-90010, 93000: Tencent IM's message codes as the seed lists them for send_msg and
 *       send_stream_msg (spec/desk-api.md), used for the same failures by openim sendmsg/admin_getroammsg.</li>
 *   <li>141005, 141006, 141010: the Desk seed's session codes (send_msg, send_stream_msg, describe_chat_messages).</li>
 *   <li>141001, 141003, 141020, 141024-141026: the Desk seed's transfer codes (transfer_to_human, transfer_session).</li>
 * </ul>
 * The default info is the vendor's wording; callers add a detail that says what to fix.
 */
public enum DeskError {
    // REST API public codes
    HTTP_PARSE(60002, "HTTP parse error, check the request URL format"),
    JSON_PARSE(60003, "HTTP request JSON parse error, check the JSON format"),
    ACCOUNT_OR_SIG(60004, "account or signature in the request URL or JSON body is wrong"),
    SDKAPPID_INVALID(60006, "SDKAppID is invalid, check the SDKAppID"),
    REST_RATE_LIMIT(60007, "REST API call frequency exceeds the limit, reduce the request rate"),
    HTTP_FORMAT(60008, "service request timed out or the HTTP request format is wrong"),
    RESOURCE(60009, "request resource error, check the request URL"),
    ADMIN_REQUIRED(60010, "the request needs App administrator permission"),
    SDKAPPID_REQUIRED(60012, "REST API needs an SDKAppID, check the SDKAppID in the request URL"),

    // account (UserSig) codes
    SIG_EXPIRED(70001, "UserSig has expired, generate a new one"),
    SIG_PARSE(70003, "UserSig parse failed"),
    SIG_VERIFY(70009, "UserSig verification failed: was it generated with another SDKAppID's key?"),
    SIG_IDENTIFIER_MISMATCH(70013, "the UserID in the request differs from the UserID the UserSig was generated for"),
    SIG_SDKAPPID_MISMATCH(70014, "the SDKAppID in the request differs from the SDKAppID the UserSig was generated for"),
    SIG_APP_NOT_FOUND(70020, "SDKAppID does not exist, UserSig verification failed"),
    /** UserSig 验证失败，且请求频率超限: the agent API answers it for a member locked after repeated failed logins. */
    LOGIN_LOCKED(70050, "验证失败，且请求频率超限，请稍后重试 (verification failed too often: retry after the lock)"),
    /** 帐号被拉入黑名单: the agent API answers it for a member an administrator forced offline. */
    ACCOUNT_BARRED(70051, "帐号被拉入黑名单 (the account is barred)"),
    /** UserSig 已经失效，请重新生成: the agent API answers it for a token its member's password change or deletion ended. */
    SIG_REVOKED(70052, "UserSig 已经失效，请重新生成，再次尝试 (the signature is no longer valid: get a new one and retry)"),
    ACCOUNT_NOT_IMPORTED(70107, "the requested UserID has not been imported"),

    // im_open_login_svc private codes
    IM_TIMEOUT(70169, "server internal timeout, retry later"),
    IM_INVALID_PARAM(70402, "invalid parameter: check that required fields are present and well formed"),
    IM_ADMIN_REQUIRED(70403, "request failed: App administrator permission is required"),
    IM_INTERNAL(70500, "server internal error, retry later"),

    // desk_http_svc private codes (seed)
    DESK_NO_AGENT_ONLINE(141001, "分配人工客服失败，无可用客服在线 (no agent online to take the session)"),
    DESK_INTERNAL(141002, "系统内部错误，请重试 (internal error, retry)"),
    DESK_CANNOT_TRANSFER(141003, "该会话无法转人工 (this session cannot be transferred to a human)"),
    DESK_INVALID_PARAM(141004, "请求参数非法，请检查后重试 (invalid request parameters)"),
    DESK_TOO_MANY_IM_AGENTS(141007, "客服号数量超过最大限制 (too many customer-service accounts)"),
    DESK_SESSION_NOT_FOUND(141005, "会话不存在或已结束 (the session does not exist or has ended)"),
    DESK_SESSION_ID_INVALID(141006, "SessionID 非法 (invalid SessionId)"),
    DESK_SESSION_MISSING(141010, "会话不存在 (the session does not exist)"),
    DESK_AGENT_OFFLINE(141011, "客服不在线，请检查客服是否在线 (the agent is not online)"),
    DESK_AGENT_AT_CAPACITY(141012, "客服达到最大接待人数限制 (the agent serves the most sessions it may)"),
    DESK_AGENT_RESTING(141013, "客服小休中，可接待状态后重试 (the agent is on a break)"),
    DESK_CONTACT_OFF(141014, "联系用户功能关闭 (contacting users is switched off)"),
    DESK_USER_UNKNOWN(141015, "用户账号不存在，检查用户账号是否正确 (the user account does not exist)"),
    DESK_USER_IN_HUMAN_SESSION(141016, "用户在人工会话中 (the user is in a human session)"),
    DESK_NO_MEMBER_ONLINE(141017, "分配客服失败，检查是否无客服成员在线 (no member online to assign)"),
    DESK_GROUP_NOT_PERMITTED(141018, "技能组无该客服号权限，请检查客服号技能组配置 (the group does not serve this account)"),
    DESK_CONTACT_GROUP_INVALID(141019, "技能组不合法，请检查技能组是否正确 (invalid agent group)"),
    DESK_GROUP_INVALID(141020, "技能组不合法，请检查技能组是否正确 (invalid agent group)"),
    DESK_TRANSFER_TO_SELF(141024, "不可转接给自己，检查转接客服成员是否正确 (cannot transfer to oneself)"),
    DESK_ALL_AGENTS_BUSY(141025, "转接失败，所有客服繁忙 (transfer failed: every agent is busy)"),
    DESK_CANNOT_FORWARD(141026, "该会话无法转接，请检查会话所处状态 (this session cannot be transferred in its state)"),

    // IM message codes (seed: send_msg / send_stream_msg)
    IM_ILLEGAL_REQUEST(20001, "请求包非法 (illegal request)"),
    IM_ACCOUNT_INVALID(20003, "消息发送方或接收方 UserID 无效或不存在，请检查 UserID 是否已导入即时通信 IM"
            + " (sender or receiver UserID invalid or not imported)"),
    IM_SERVER_INTERNAL(20005, "服务器内部错误，请重试 (internal server error, retry)"),
    MSG_JSON_PARSE(90001, "JSON 格式解析失败，请检查请求包是否符合 JSON 规范 (JSON parse failed)"),
    MSG_BODY_FORMAT(90002, "JSON 格式请求包中 MsgBody 不符合消息格式描述 (MsgBody does not follow the message format)"),
    MSG_RANDOM(90005, "JSON 格式请求包中缺少 MsgRandom 字段或者 MsgRandom 字段不是 Integer 类型"
            + " (MsgRandom missing or not an integer)"),
    MSG_BODY_NOT_ARRAY(90007, "JSON 格式请求包中 MsgBody 类型不是 Array 类型 (MsgBody is not an array)"),
    MSG_ADMIN_REQUIRED(90009, "请求需要 App 管理员权限 (App administrator permission required)"),
    MSG_FORMAT(90010, "JSON 格式请求包不符合消息格式描述 (the request does not follow the message format)"),
    MSG_TOO_LONG(93000, "JSON 数据包超长，消息包体请不要超过12K (the message body must not exceed 12 KB)"),

    // openim_console_http_svc private codes (seed)
    ROBOT_INTERNAL(-1, "内部错误 (internal error)"),
    ROBOT_INVALID_PARAM(-7, "参数解析失败，请检查请求包是否符合 JSON 规范或者请求参数符合要求 (parameter parsing failed)"),
    ROBOT_RATE_LIMIT(-14, "超过该接口允许的最大频率限制 (call frequency limit exceeded)"),
    ROBOT_ADMIN_REQUIRED(-20, "请求需要 App 管理员权限 (App administrator permission required)"),
    ROBOT_PRESET_CATEGORY(-50011, "删除系统预设分类 (system preset categories cannot be deleted or changed)"),
    ROBOT_LANGUAGE_UNSUPPORTED(-50051, "不支持的语言 (unsupported language)"),
    ROBOT_LANGUAGE_LIMIT(-50052, "超过可配置语言数量上限 (too many languages; the default language counts)"),
    ROBOT_LANGUAGE_DEFAULT(-50055, "默认语言不能被删除 (the default language cannot be deleted)"),
    ROBOT_LANGUAGE_IN_USE(-50056, "该语言下存在未删除的问题不能被删除 (the language still has questions)");

    private final int code;
    private final String defaultInfo;

    DeskError(int code, String defaultInfo) {
        this.code = code;
        this.defaultInfo = defaultInfo;
    }

    public int code() {
        return code;
    }

    public String defaultInfo() {
        return defaultInfo;
    }
}
