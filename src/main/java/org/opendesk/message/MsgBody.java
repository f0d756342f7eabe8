package org.opendesk.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A message body in Tencent IM's format: an array of elements {@code {MsgType, MsgContent}}.
 * Validation follows the IM message-format description for the eight element types the
 * platform stores; a body that breaks it answers the IM codes the seed lists for send_msg
 * (90007 not an array, 90002 an element out of format, 93000 over 12 KB).
 */
public final class MsgBody {
    /** "消息包体请不要超过12K": MsgBody plus CloudCustomData, in UTF-8 bytes. */
    public static final int MAX_BYTES = 12 * 1024;
    public static final int MAX_ELEMENTS = 50;
    private static final ObjectMapper MAPPER = Json.mapper();

    private enum Kind { STRING, NUMBER, ARRAY }

    /** Per element type: the MsgContent fields it must have, and their JSON kinds. */
    private static final Map<String, Map<String, Kind>> REQUIRED = Map.of(
            "TIMTextElem", Map.of("Text", Kind.STRING),
            "TIMCustomElem", Map.of("Data", Kind.STRING),
            "TIMImageElem", Map.of("UUID", Kind.STRING, "ImageFormat", Kind.NUMBER, "ImageInfoArray", Kind.ARRAY),
            "TIMFileElem", Map.of("Url", Kind.STRING, "FileName", Kind.STRING),
            "TIMSoundElem", Map.of("Url", Kind.STRING, "Second", Kind.NUMBER),
            "TIMVideoFileElem", Map.of("VideoUrl", Kind.STRING, "ThumbUrl", Kind.STRING),
            "TIMLocationElem", Map.of("Desc", Kind.STRING, "Latitude", Kind.NUMBER, "Longitude", Kind.NUMBER),
            "TIMFaceElem", Map.of("Index", Kind.NUMBER));

    private MsgBody() {
    }

    /**
     * Checks a MsgBody as sent and answers it as stored (compact JSON).
     *
     * @param cloudCustomData counted into the 12 KB limit with the body (may be null)
     */
    public static String validate(JsonNode body, String cloudCustomData) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw new DeskException(DeskError.MSG_BODY_NOT_ARRAY, "MsgBody is missing: send an array of message elements "
                    + "such as [{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello\"}}]");
        }
        if (!body.isArray()) {
            throw new DeskException(DeskError.MSG_BODY_NOT_ARRAY, "MsgBody must be an array of message elements, not "
                    + body.getNodeType().name().toLowerCase());
        }
        if (body.isEmpty()) {
            throw new DeskException(DeskError.MSG_BODY_FORMAT, "MsgBody is empty: send at least one message element");
        }
        if (body.size() > MAX_ELEMENTS) {
            throw new DeskException(DeskError.MSG_BODY_FORMAT, "MsgBody has " + body.size() + " elements; at most "
                    + MAX_ELEMENTS + " are allowed");
        }
        for (int i = 0; i < body.size(); i++) {
            element(body.get(i), i);
        }
        String json = write(body);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length
                + (cloudCustomData == null ? 0 : cloudCustomData.getBytes(StandardCharsets.UTF_8).length);
        if (bytes > MAX_BYTES) {
            throw new DeskException(DeskError.MSG_TOO_LONG, "the message is " + bytes + " bytes (MsgBody and CloudCustomData);"
                    + " at most " + MAX_BYTES + " are allowed");
        }
        return json;
    }

    private static void element(JsonNode e, int i) {
        String where = "MsgBody[" + i + "]";
        if (!e.isObject()) {
            throw new DeskException(DeskError.MSG_BODY_FORMAT, where + " must be an object {MsgType, MsgContent}");
        }
        JsonNode type = e.get("MsgType");
        if (type == null || !type.isTextual()) {
            throw new DeskException(DeskError.MSG_BODY_FORMAT, where + ".MsgType is missing or not a string");
        }
        Map<String, Kind> required = REQUIRED.get(type.asText());
        if (required == null) {
            throw new DeskException(DeskError.MSG_BODY_FORMAT, where + ".MsgType '" + type.asText() + "' is not supported; use "
                    + "TIMTextElem, TIMCustomElem, TIMImageElem, TIMFileElem, TIMSoundElem, TIMVideoFileElem, TIMLocationElem"
                    + " or TIMFaceElem");
        }
        JsonNode content = e.get("MsgContent");
        if (content == null || !content.isObject()) {
            throw new DeskException(DeskError.MSG_BODY_FORMAT, where + ".MsgContent is missing or not an object");
        }
        required.forEach((field, kind) -> {
            JsonNode v = content.get(field);
            boolean ok = v != null && switch (kind) {
                case STRING -> v.isTextual();
                case NUMBER -> v.isNumber();
                case ARRAY -> v.isArray();
            };
            if (!ok) {
                throw new DeskException(DeskError.MSG_BODY_FORMAT, where + ".MsgContent." + field + " of a " + type.asText()
                        + " is missing or not a " + kind.name().toLowerCase());
            }
        });
    }

    /** MsgRandom: a 32-bit unsigned integer, required (90005 otherwise). */
    public static long random(JsonNode value) {
        if (value == null || !value.isIntegralNumber() || value.asLong(-1) < 0 || value.asLong() > 4_294_967_295L
                || !value.canConvertToLong()) {
            throw new DeskException(DeskError.MSG_RANDOM, "MsgRandom must be an integer from 0 to 4294967295"
                    + (value == null || value.isNull() ? " and is missing" : ", got " + value));
        }
        return value.asLong();
    }

    /** A body of one text element. */
    public static String text(String text) {
        ArrayNode body = MAPPER.createArrayNode();
        ObjectNode e = body.addObject();
        e.put("MsgType", "TIMTextElem");
        e.putObject("MsgContent").put("Text", text);
        return write(body);
    }

    /** A body of one custom element whose Data is the given JSON (a Desk src message). */
    public static String custom(JsonNode data) {
        ArrayNode body = MAPPER.createArrayNode();
        ObjectNode e = body.addObject();
        e.put("MsgType", "TIMCustomElem");
        e.putObject("MsgContent").put("Data", write(data));
        return write(body);
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message body is not JSON", e);
        }
    }

    /** The text of the first TIMTextElem, when the body has one. */
    public static Optional<String> firstText(JsonNode body) {
        for (JsonNode e : body) {
            if ("TIMTextElem".equals(e.path("MsgType").asText())) {
                return Optional.of(e.path("MsgContent").path("Text").asText());
            }
        }
        return Optional.empty();
    }

    /** The Desk custom message ({@code src}) a body carries, when its first custom element's Data is one. */
    public static Optional<JsonNode> deskCustom(JsonNode body) {
        for (JsonNode e : body) {
            if ("TIMCustomElem".equals(e.path("MsgType").asText())) {
                try {
                    JsonNode data = MAPPER.readTree(e.path("MsgContent").path("Data").asText());
                    if (data != null && data.isObject() && data.hasNonNull("src")) {
                        return Optional.of(data);
                    }
                } catch (JsonProcessingException ignored) {
                    // a custom message of the app's own, not the Desk protocol
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
