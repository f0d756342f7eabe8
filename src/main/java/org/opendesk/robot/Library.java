package org.opendesk.robot;

/** The two question libraries of a robot: 问答库 (FAQ) and 寒暄库 (chitchat). */
public enum Library {
    FAQ(1, "FAQ"), CHITCHAT(2, "Chitchat");

    private final int code;
    private final String label;

    Library(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static Library of(int code) {
        for (Library library : values()) {
            if (library.code == code) {
                return library;
            }
        }
        throw new IllegalArgumentException("no library " + code);
    }
}
