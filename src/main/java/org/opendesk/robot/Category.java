package org.opendesk.robot;

/**
 * A knowledge-base category. {@code menuType}: 0 ordinary, 1 the "all categories" node,
 * 2 system preset; {@code parentId} 0 for a top-level category (two levels at most).
 */
public record Category(long categoryId, long parentId, String title, int menuType, int status) {
    public static final int ORDINARY = 0;
    public static final int ALL = 1;
    public static final int PRESET = 2;
    public static final int ENABLED = 1;

    public boolean isProtected() {
        return menuType != ORDINARY;
    }
}
