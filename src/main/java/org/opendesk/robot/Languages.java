package org.opendesk.robot;

import java.util.List;

/**
 * The knowledge-base languages of the seed (多语言配置接口): the default language has the
 * empty tag; others are added with robot_add_language, at most {@value #MAX_PER_ROBOT} per
 * robot including the default (the seed's -50052).
 */
public final class Languages {
    public static final String DEFAULT = "";
    public static final List<String> SUPPORTED = List.of("id", "zh", "zh-TW", "en", "vi", "ja", "fil");
    public static final int MAX_PER_ROBOT = 5;

    private Languages() {
    }

    /** The tag of a request field: null and blank mean the default language. */
    public static String tag(String raw) {
        return raw == null ? DEFAULT : raw.strip();
    }

    public static boolean supported(String tag) {
        return SUPPORTED.contains(tag);
    }
}
