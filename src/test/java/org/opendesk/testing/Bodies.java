package org.opendesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.opendesk.json.Json;

/** Message bodies and Desk custom messages for tests. */
public final class Bodies {
    private Bodies() {
    }

    public static ArrayNode text(String text) {
        ArrayNode body = Json.mapper().createArrayNode();
        body.addObject().put("MsgType", "TIMTextElem").putObject("MsgContent").put("Text", text);
        return body;
    }

    public static ArrayNode custom(String data) {
        ArrayNode body = Json.mapper().createArrayNode();
        body.addObject().put("MsgType", "TIMCustomElem").putObject("MsgContent").put("Data", data);
        return body;
    }

    public static final String START = "{\"customerServicePlugin\":0,\"src\":\"7\"}";
    public static final String END = "{\"customerServicePlugin\":0,\"src\":\"27\"}";
    public static final String TYPING = "{\"customerServicePlugin\":0,\"src\":\"12\"}";

    /** The Desk src of a body's custom element, or null. */
    public static String src(JsonNode body) {
        JsonNode data = data(body);
        return data == null ? null : data.path("src").asText();
    }

    /** The parsed Data of a body's first custom element, or null. */
    public static JsonNode data(JsonNode body) {
        for (JsonNode e : body) {
            if ("TIMCustomElem".equals(e.path("MsgType").asText())) {
                try {
                    return Json.mapper().readTree(e.path("MsgContent").path("Data").asText());
                } catch (Exception ex) {
                    return null;
                }
            }
        }
        return null;
    }

    public static String text(JsonNode body) {
        return body.path(0).path("MsgContent").path("Text").asText(null);
    }
}
