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

    public static final String RATING_CHOICE = "10";
    public static final String RATING_REQUEST = "24";
    /** Ids of the five levels of a rating card, one star first ("101" very dissatisfied ... "105" very satisfied). */
    public static final int FIRST_LEVEL_ID = 101;

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

    /**
     * src 9: the rating card of a session; star rating (type 1), levels "101"-"105" with the labels,
     * valid {@code hours} until {@code expireSeconds}; {@code selected} the level chosen (0: none yet).
     */
    public static String ratingCard(String sessionId, String head, String tail, List<String> labels, int hours,
                                    long expireSeconds, int selected) {
        ObjectNode data = desk("9");
        ObjectNode c = data.putObject("menuContent");
        c.put("head", head);
        c.put("tail", tail);
        ArrayNode menu = c.putArray("menu");
        for (int i = 0; i < labels.size(); i++) {
            menu.addObject().put("id", Integer.toString(FIRST_LEVEL_ID + i)).put("content", labels.get(i));
        }
        c.put("type", 1);
        c.put("sessionId", sessionId);
        c.put("effectiveHour", hours);
        c.put("expireTime", expireSeconds);
        if (selected > 0) {
            c.putObject("selected").put("id", Integer.toString(FIRST_LEVEL_ID + selected - 1))
                    .put("content", labels.get(selected - 1));
        }
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
