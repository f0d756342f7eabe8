package org.opendesk.storage;

import java.util.HashMap;
import java.util.Map;

/** Named statement parameters; unlike {@code Map.of} it accepts null values. */
public final class Params {
    private final Map<String, Object> values = new HashMap<>();

    private Params() {
    }

    public static Params of() {
        return new Params();
    }

    public static Params of(String name, Object value) {
        return new Params().put(name, value);
    }

    public static Params of(String n1, Object v1, String n2, Object v2) {
        return new Params().put(n1, v1).put(n2, v2);
    }

    public static Params of(String n1, Object v1, String n2, Object v2, String n3, Object v3) {
        return new Params().put(n1, v1).put(n2, v2).put(n3, v3);
    }

    public Params put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    public Map<String, Object> asMap() {
        return values;
    }
}
