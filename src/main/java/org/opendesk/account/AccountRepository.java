package org.opendesk.account;

import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL for IM accounts, next to its row mapping. Every statement goes through a TenantDb. */
final class AccountRepository {
    /** Imports or re-imports: a re-import updates only the profile fields it carries. */
    private static final String UPSERT = "INSERT INTO im_account (sdkappid, user_id, nick, face_url, kind, created_at, updated_at) "
            + "VALUES (:sdkappid, :user, COALESCE(:nick, ''), COALESCE(:face, ''), :kind, :now, :now) "
            + "ON DUPLICATE KEY UPDATE nick = COALESCE(:nick, nick), face_url = COALESCE(:face, face_url), updated_at = :now";
    private static final String INSERT_IF_ABSENT = "INSERT IGNORE INTO im_account "
            + "(sdkappid, user_id, nick, face_url, kind, created_at, updated_at) "
            + "VALUES (:sdkappid, :user, :nick, '', :kind, :now, :now)";
    private static final String KINDS = "SELECT user_id, kind FROM im_account WHERE sdkappid = :sdkappid AND user_id IN ";
    private static final String DELETE = "DELETE FROM im_account WHERE sdkappid = :sdkappid AND user_id = :user";

    void upsert(TenantDb db, String userId, String nick, String faceUrl, long now) {
        db.dml("account-upsert", UPSERT, Params.of("user", userId, "nick", nick, "face", faceUrl)
                .put("kind", Account.Kind.USER.code()).put("now", now));
    }

    /** Creates the account with the given kind unless it exists; answers whether it was created. */
    boolean insertIfAbsent(TenantDb db, String userId, String nick, Account.Kind kind, long now) {
        return db.dml("account-insert-if-absent", INSERT_IF_ABSENT, Params.of("user", userId, "nick", nick)
                .put("kind", kind.code()).put("now", now)) > 0;
    }

    /** The kind of each of the given accounts that exists. */
    Map<String, Account.Kind> kinds(TenantDb db, List<String> userIds) {
        Map<String, Account.Kind> found = new HashMap<>();
        if (userIds.isEmpty()) {
            return found;
        }
        List<String> distinct = userIds.stream().distinct().toList();
        Params params = Sql.listParams(Params.of(), "u", distinct);
        db.list("account-kinds", KINDS + Sql.inList("u", distinct.size()), params,
                row -> found.put(Sql.string(row, "user_id"), Account.Kind.of(Sql.intValue(row, "kind"))));
        return found;
    }

    boolean delete(TenantDb db, String userId) {
        return db.dml("account-delete", DELETE, Params.of("user", userId)) > 0;
    }
}
