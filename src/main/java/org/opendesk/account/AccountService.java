package org.opendesk.account;

import org.opendesk.error.DeskError;
import org.opendesk.storage.ShortCache;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;
import org.opendesk.tenant.TenantSeeder;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IM accounts of a tenant: import (one or many), existence checks and deletion. Every
 * app has its administrators and the default customer-service account from the start.
 */
public final class AccountService implements TenantSeeder {
    /** The default customer-service account (客服号) every Desk app has. */
    public static final String DEFAULT_CUSTOMER_SERVICE = "@customer_service_account";
    public static final int MAX_USER_ID_BYTES = 32;
    public static final int MAX_PROFILE_BYTES = 500;
    /** Identifier prefixes the server owns (robots); users cannot be imported under them. */
    private static final List<String> RESERVED_PREFIXES = List.of("@RBT#");

    private final AccountRepository repository = new AccountRepository();
    private final Clock clock;
    /**
     * Accounts known to exist, with their kind, read on every message: kept for a second. Only
     * existing accounts are kept, so a new one is seen at once; a deletion on this node forgets
     * them at once, on another node within a second.
     */
    private final ShortCache<String, Account.Kind> knownKinds = new ShortCache<>(1_000, 100_000);

    public AccountService(Clock clock) {
        this.clock = clock;
    }

    /** Why a UserID cannot be imported, or null when it can. */
    public static String userIdProblem(String userId) {
        if (userId == null || userId.isEmpty()) {
            return "UserID is empty";
        }
        int bytes = userId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_USER_ID_BYTES) {
            return "UserID '" + userId + "' is " + bytes + " bytes; at most " + MAX_USER_ID_BYTES + " are allowed";
        }
        for (int i = 0; i < userId.length(); i++) {
            if (Character.isISOControl(userId.charAt(i))) {
                return "UserID contains a control character";
            }
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (userId.startsWith(prefix)) {
                return "UserID '" + userId + "' uses the reserved prefix " + prefix;
            }
        }
        return null;
    }

    /** Why a profile field (Nick, FaceUrl) is not acceptable, or null. */
    public static String profileProblem(String field, String value) {
        if (value != null && value.getBytes(StandardCharsets.UTF_8).length > MAX_PROFILE_BYTES) {
            return field + " is longer than " + MAX_PROFILE_BYTES + " bytes";
        }
        return null;
    }

    public void importOne(Tenant tenant, String userId, String nick, String faceUrl) {
        repository.upsert(tenant.db(), userId, nick, faceUrl, clock.millis());
    }

    /** Imports accounts already validated, in one transaction. */
    public void importMany(Tenant tenant, List<Account> accounts) {
        long now = clock.millis();
        tenant.db().inTransaction(tx -> {
            accounts.forEach(a -> repository.upsert(tx, a.userId(), a.nick(), a.faceUrl(), now));
            return null;
        });
    }

    /** The kind of each of the given accounts that exists. */
    public Map<String, Account.Kind> kinds(TenantDb db, List<String> userIds) {
        Map<String, Account.Kind> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : userIds) {
            Account.Kind kind = knownKinds.peek(db.sdkAppId(), id);
            if (kind != null) {
                found.put(id, kind);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, Account.Kind> loaded = repository.kinds(db, missing);
            loaded.forEach((id, kind) -> knownKinds.put(db.sdkAppId(), id, kind));
            found.putAll(loaded);
        }
        return found;
    }

    /** Forgets the accounts known to exist (after deleting accounts on this node). */
    public void forgetKinds(long sdkAppId) {
        knownKinds.invalidate(sdkAppId);
    }

    /** Imports a user on first sign-in (the visitor WebSocket); an existing account is left as it is. */
    public void importIfAbsent(TenantDb db, String userId) {
        repository.insertIfAbsent(db, userId, "", Account.Kind.USER, clock.millis());
    }

    /** The subset of userIds that are imported. */
    public Set<String> existing(Tenant tenant, List<String> userIds) {
        return repository.kinds(tenant.db(), userIds).keySet();
    }

    /** Result of deleting one account: 0 when deleted, else the vendor code and why. */
    public record DeleteOutcome(int code, String info) {
        static final DeleteOutcome OK = new DeleteOutcome(0, "");
    }

    /**
     * Deletes accounts. Administrators and customer-service accounts are refused (they are
     * managed by the app configuration and by delete_im_agent); unknown ones answer 70107.
     */
    public Map<String, DeleteOutcome> delete(Tenant tenant, List<String> userIds) {
        Map<String, DeleteOutcome> result = tenant.db().inTransaction(tx -> {
            Map<String, Account.Kind> kinds = repository.kinds(tx, userIds);
            Map<String, DeleteOutcome> outcomes = new LinkedHashMap<>();
            for (String userId : userIds) {
                if (outcomes.containsKey(userId)) {
                    continue;
                }
                Account.Kind kind = kinds.get(userId);
                if (kind == null) {
                    outcomes.put(userId, new DeleteOutcome(DeskError.ACCOUNT_NOT_IMPORTED.code(),
                            "Err_TLS_PT_Open_Login_Account_Not_Exist"));
                } else if (tenant.app().isAdmin(userId)) {
                    outcomes.put(userId, new DeleteOutcome(DeskError.IM_INVALID_PARAM.code(),
                            "'" + userId + "' is an administrator of this app and cannot be deleted"));
                } else if (kind == Account.Kind.CUSTOMER_SERVICE) {
                    outcomes.put(userId, new DeleteOutcome(DeskError.IM_INVALID_PARAM.code(),
                            "'" + userId + "' is a customer-service account; delete it with desk_http_svc/delete_im_agent"
                                    + " (the default one cannot be deleted)"));
                } else {
                    repository.delete(tx, userId);
                    outcomes.put(userId, DeleteOutcome.OK);
                }
            }
            return outcomes;
        });
        forgetKinds(tenant.sdkAppId());
        return result;
    }

    /**
     * Registers the IM account of a new customer-service account, inside the caller's
     * transaction; false when the UserID is already an account of any kind.
     */
    public boolean createCustomerService(TenantDb db, String userId, String nick, String faceUrl) {
        long now = clock.millis();
        if (!repository.insertIfAbsent(db, userId, nick, Account.Kind.CUSTOMER_SERVICE, now)) {
            return false;
        }
        repository.upsert(db, userId, nick, faceUrl, now);
        return true;
    }

    /** Changes the nickname and avatar of an existing account (null keeps a field). */
    public void updateProfile(TenantDb db, String userId, String nick, String faceUrl) {
        repository.upsert(db, userId, nick, faceUrl, clock.millis());
    }

    /** Removes the IM account of a deleted customer-service account, inside the caller's transaction. */
    public void deleteCustomerService(TenantDb db, String userId) {
        repository.delete(db, userId);
    }

    /** Every app has its admin accounts and the default customer-service account. */
    @Override
    public void seed(Tenant tenant) {
        long now = clock.millis();
        List<String> admins = new ArrayList<>(tenant.app().admins());
        tenant.db().inTransaction(tx -> {
            repository.insertIfAbsent(tx, DEFAULT_CUSTOMER_SERVICE, "客服", Account.Kind.CUSTOMER_SERVICE, now);
            admins.forEach(admin -> repository.insertIfAbsent(tx, admin, admin, Account.Kind.ADMIN, now));
            return null;
        });
    }
}
