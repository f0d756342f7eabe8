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
}
