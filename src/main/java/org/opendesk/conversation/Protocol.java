package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.json.Json;
import org.opendesk.message.MsgBody;

import java.util.List;

/**
 * The Desk custom-message protocol (spec/custom-messages.json): the {@code src} messages the
 * server sends, each as a TIMCustomElem body whose Data is the serialized structure.
 */
public final class Protocol {
    public static final String SESSION_START = "7";
    public static final String TYPING = "12";
    public static final String USER_END = "27";

    /**
     * menuSendRuleFlag of src 23 from the satisfaction settings: bit 1 sent automatically at the end,
     * bit 2 the agent may invite. Until update_satisfaction_settings exists (a later issue) the
     * settings are the seed's example (SatisfactionEnabled 1, InvitationMethod 3), hence 3. The
     * example's extra bit 4 is not documented and is not set.
     */
    static final int RATING_RULES = 3;

    private Protocol() {
    }

    private static ObjectNode desk(String src) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("customerServicePlugin", 0);
        data.put("src", src);
        return data;
    }

    /** src 23: the rating rules, answered to the session start. */
    public static String ratingRules(int flags) {
        ObjectNode data = desk("23");
        data.putObject("content").put("menuSendRuleFlag", flags);
        return MsgBody.custom(data);
    }

    /** src 26: whether a human agent is connected. */
    public static String seatStatus(boolean inSeat) {
        ObjectNode data = desk("26");
        data.putObject("content").put("command", "updateSeatStatus").put("content", inSeat ? "inSeat" : "outSeat");
        return MsgBody.custom(data);
    }

    /**
     * src 15: a branch (menu) message; the user chooses an item by sending its content as plain text
     * (the user picks an agent group, AssignmentStrategy 1).
     */
    public static String branch(String header, List<String> items, String tail) {
        ObjectNode data = desk("15");
        ObjectNode c = data.putObject("content");
        c.put("header", header);
        ArrayNode array = c.putArray("items");
        items.forEach(i -> array.addObject().put("content", i).put("desc", ""));
        c.put("tail", tail);
        return MsgBody.custom(data);
    }

    /** src 29 welcome_msg or clarify_msg: a card with a title, a text and clickable questions. */
    static String card(String subtype, String title, String content, List<String> questions) {
        ObjectNode data = desk("29");
        data.put("subtype", subtype);
        ObjectNode c = data.putObject("content");
        c.put("title", title);
        c.put("content", content);
        ArrayNode items = c.putArray("items");
        questions.forEach(q -> items.addObject().put("content", q));
        return MsgBody.custom(data);
    }

    /** src 30: a rich-text (Markdown) answer. */
    static String richText(String markdown) {
        ObjectNode data = desk("30");
        data.put("content", markdown);
        return MsgBody.custom(data);
    }

    /** src 31: a streaming message so far. */
    static String stream(List<String> chunks, boolean finished) {
        ObjectNode data = desk("31");
        ArrayNode array = data.putArray("chunks");
        chunks.forEach(array::add);
        data.put("isFinished", finished ? 1 : 0);
        return MsgBody.custom(data);
    }

    /** src 19 (ended) or src 20 (ended by timeout). */
    public static String ended(boolean timeout) {
        return MsgBody.custom(desk(timeout ? "20" : "19"));
    }

    /** The src of a Desk custom message, or null for anything else. */
    public static String src(JsonNode body) {
        return MsgBody.deskCustom(body).map(d -> d.path("src").asText()).orElse(null);
    }
}
