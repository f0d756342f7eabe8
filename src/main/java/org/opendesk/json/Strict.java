package org.opendesk.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;

/**
 * Deserializers for request fields that take exactly one JSON type: a number where a string belongs
 * (or a string where a number belongs) is refused instead of converted, and the dispatcher answers
 * the field's name and the type it must have. Put them on a field with
 * {@code @JsonDeserialize(using = Strict.Text.class)} (or {@code contentUsing} for list elements);
 * JSON null stays null (absent).
 */
public final class Strict {
    private Strict() {
    }

    /** A JSON string. */
    public static final class Text extends StdScalarDeserializer<String> {
        public Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                return p.getText();
            }
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
    }

    /** A JSON integer that fits 32 bits (no fraction, no string). */
    public static final class Int32 extends StdScalarDeserializer<Integer> {
        public Int32() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_NUMBER_INT)) {
                return (Integer) ctxt.handleUnexpectedToken(Integer.class, p);
            }
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                return (Integer) ctxt.handleWeirdNumberValue(Integer.class, p.getNumberValue(), "out of range");
            }
            return p.getIntValue();
        }
    }

    /** A JSON integer that fits 64 bits (no fraction, no string). */
    public static final class Int64 extends StdScalarDeserializer<Long> {
        public Int64() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_NUMBER_INT)) {
                return (Long) ctxt.handleUnexpectedToken(Long.class, p);
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return (Long) ctxt.handleWeirdNumberValue(Long.class, p.getNumberValue(), "out of range");
            }
            return p.getLongValue();
        }
    }
}
