package org.opendesk.account;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.rest.Call;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The im_open_login_svc commands (Tencent IM standard account API): request and response
 * shapes with the vendor's field names, validation, and the calls into {@link AccountService}.
 */
public final class AccountCommands {
    /** The vendor's batch limit for multiaccount_import, account_check and account_delete. */
    public static final int MAX_BATCH = 100;

    private final AccountService accounts;

    public AccountCommands(AccountService accounts) {
        this.accounts = accounts;
    }

    // ---- account_import

    /** {@code Identifier} is the field name of the older version of this API. */
    public record ImportReq(@JsonProperty("UserID") @JsonAlias("Identifier") String userId,
                            @JsonProperty("Nick") String nick,
                            @JsonProperty("FaceUrl") String faceUrl) {
    }

    public Object accountImport(Call<ImportReq> call) {
        ImportReq req = call.body();
        invalidIf(AccountService.userIdProblem(req.userId()));
        invalidIf(AccountService.profileProblem("Nick", req.nick()));
        invalidIf(AccountService.profileProblem("FaceUrl", req.faceUrl()));
        accounts.importOne(call.tenant(), req.userId(), req.nick(), req.faceUrl());
        return null;
    }

    // ---- multiaccount_import

    public record AccountItem(@JsonProperty("UserID") String userId,
                              @JsonProperty("Nick") String nick,
                              @JsonProperty("FaceUrl") String faceUrl) {
    }

    /** {@code Accounts} (UserIDs) is the older form; {@code AccountList} (objects) the newer. */
    public record MultiImportReq(@JsonProperty("Accounts") List<String> accounts,
                                 @JsonProperty("AccountList") List<AccountItem> accountList) {
    }

    public record MultiImportResp(@JsonProperty("FailAccounts") List<String> failAccounts) {
    }

    public Object multiAccountImport(Call<MultiImportReq> call) {
        MultiImportReq req = call.body();
        List<AccountItem> items = new ArrayList<>();
        if (req.accounts() != null) {
            req.accounts().forEach(id -> items.add(new AccountItem(id, null, null)));
        }
        if (req.accountList() != null) {
            req.accountList().forEach(item -> items.add(item == null ? new AccountItem(null, null, null) : item));
        }
        checkBatch("Accounts or AccountList", items.size());
        List<String> failed = new ArrayList<>();
        List<Account> valid = new ArrayList<>();
        for (AccountItem item : items) {
            boolean ok = AccountService.userIdProblem(item.userId()) == null
                    && AccountService.profileProblem("Nick", item.nick()) == null
                    && AccountService.profileProblem("FaceUrl", item.faceUrl()) == null;
            if (ok) {
                valid.add(new Account(item.userId(), item.nick(), item.faceUrl(), Account.Kind.USER));
            } else {
                failed.add(item.userId() == null ? "" : item.userId());
            }
        }
        accounts.importMany(call.tenant(), valid);
        return new MultiImportResp(failed);
    }

    // ---- account_check

    public record UserRef(@JsonProperty("UserID") String userId) {
    }

    public record CheckReq(@JsonProperty("CheckItem") List<UserRef> checkItem) {
    }

    public record CheckResult(@JsonProperty("UserID") String userId,
                              @JsonProperty("ResultCode") int resultCode,
                              @JsonProperty("ResultInfo") String resultInfo,
                              @JsonProperty("AccountStatus") String accountStatus) {
    }

    public record CheckResp(@JsonProperty("ResultItem") List<CheckResult> resultItem) {
    }

    public Object accountCheck(Call<CheckReq> call) {
        List<String> ids = userIds("CheckItem", call.body().checkItem());
        Set<String> existing = accounts.existing(call.tenant(), ids);
        List<CheckResult> results = new ArrayList<>(ids.size());
        for (String id : ids) {
            String problem = AccountService.userIdProblem(id);
            if (problem != null && !existing.contains(id)) {
                results.add(new CheckResult(id, DeskError.IM_INVALID_PARAM.code(), problem, "NotImported"));
            } else {
                results.add(new CheckResult(id, 0, "", existing.contains(id) ? "Imported" : "NotImported"));
            }
        }
        return new CheckResp(results);
    }

    // ---- account_delete

    public record DeleteReq(@JsonProperty("DeleteItem") List<UserRef> deleteItem) {
    }

    public record DeleteResult(@JsonProperty("ResultCode") int resultCode,
                               @JsonProperty("ResultInfo") String resultInfo,
                               @JsonProperty("UserID") String userId) {
    }

    public record DeleteResp(@JsonProperty("ResultItem") List<DeleteResult> resultItem) {
    }

    public Object accountDelete(Call<DeleteReq> call) {
        List<String> ids = userIds("DeleteItem", call.body().deleteItem());
        Map<String, AccountService.DeleteOutcome> outcomes = accounts.delete(call.tenant(), ids);
        List<DeleteResult> results = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            AccountService.DeleteOutcome outcome = outcomes.get(id);
            results.add(new DeleteResult(outcome.code(), outcome.info(), id));
        }
        return new DeleteResp(results);
    }

    // ---- shared validation

    private static List<String> userIds(String field, List<UserRef> refs) {
        checkBatch(field, refs == null ? 0 : refs.size());
        List<String> ids = new ArrayList<>(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            UserRef ref = refs.get(i);
            if (ref == null || ref.userId() == null || ref.userId().isEmpty()) {
                throw new DeskException(DeskError.IM_INVALID_PARAM, field + "[" + i + "].UserID is missing");
            }
            ids.add(ref.userId());
        }
        return ids;
    }

    private static void checkBatch(String field, int size) {
        if (size == 0) {
            throw new DeskException(DeskError.IM_INVALID_PARAM, field + " is required and must list at least one account");
        }
        if (size > MAX_BATCH) {
            throw new DeskException(DeskError.IM_INVALID_PARAM, field + " lists " + size + " accounts; at most "
                    + MAX_BATCH + " are allowed per request, split the batch");
        }
    }

    private static void invalidIf(String problem) {
        if (problem != null) {
            throw new DeskException(DeskError.IM_INVALID_PARAM, problem);
        }
    }
}
