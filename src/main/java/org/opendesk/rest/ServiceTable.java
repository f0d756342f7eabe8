package org.opendesk.rest;

import org.opendesk.error.DeskError;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command table of one vendor service ({@code /v4/<service>/<command>}), with the
 * service's own codes for an invalid body, an internal failure and an exceeded rate.
 */
public final class ServiceTable {
    private final String name;
    private final DeskError invalidParam;
    private final DeskError internal;
    private final DeskError rateLimited;
    private final DeskError adminRequired;
    private final DeskError malformedJson;
    private final Map<String, Command<?>> commands;

    private ServiceTable(Builder b) {
        this.name = b.name;
        this.invalidParam = b.invalidParam;
        this.internal = b.internal;
        this.rateLimited = b.rateLimited;
        this.adminRequired = b.adminRequired;
        this.malformedJson = b.malformedJson;
        this.commands = Collections.unmodifiableMap(new LinkedHashMap<>(b.commands));
    }

    public static Builder builder(String name, DeskError invalidParam, DeskError internal, DeskError rateLimited) {
        return new Builder(name, invalidParam, internal, rateLimited);
    }

    /** The code for "identifier is not an administrator": the service's own where it has one. */
    public DeskError adminRequired() {
        return adminRequired;
    }

    /** The code for a body that is not a JSON object: the public 60003 unless the service documents its own. */
    public DeskError malformedJson() {
        return malformedJson;
    }

    public String name() {
        return name;
    }

    public DeskError invalidParam() {
        return invalidParam;
    }

    public DeskError internal() {
        return internal;
    }

    public DeskError rateLimited() {
        return rateLimited;
    }

    public Command<?> command(String command) {
        return commands.get(command);
    }

    public Collection<Command<?>> commands() {
        return commands.values();
    }

    public static final class Builder {
        private final String name;
        private final DeskError invalidParam;
        private final DeskError internal;
        private final DeskError rateLimited;
        private DeskError adminRequired = DeskError.ADMIN_REQUIRED;
        private DeskError malformedJson = DeskError.JSON_PARSE;
        private final Map<String, Command<?>> commands = new LinkedHashMap<>();

        private Builder(String name, DeskError invalidParam, DeskError internal, DeskError rateLimited) {
            this.name = name;
            this.invalidParam = invalidParam;
            this.internal = internal;
            this.rateLimited = rateLimited;
        }

        /** Overrides the public 60010 with the service's own "admin permission required" code. */
        public Builder adminRequired(DeskError error) {
            this.adminRequired = error;
            return this;
        }

        /** Overrides the public 60003 for bodies that are not JSON objects with the service's own code. */
        public Builder malformedJson(DeskError error) {
            this.malformedJson = error;
            return this;
        }

        /** A vendor command with the vendor's documented rate limit (calls/second/app, 0 = none). */
        public <R> Builder command(String command, Class<R> type, int ratePerSecond, CommandHandler<R> handler) {
            return add(new Command<>(name, command, type, handler, ratePerSecond, false, null));
        }

        /** A vendor command that documents its own code for a body that is not JSON (send_msg's 90001). */
        public <R> Builder command(String command, Class<R> type, int ratePerSecond, CommandHandler<R> handler,
                                   DeskError malformedJson) {
            return add(new Command<>(name, command, type, handler, ratePerSecond, false, malformedJson));
        }

        /** An extension command of ours (marked x-extension in openapi/). */
        public <R> Builder extension(String command, Class<R> type, int ratePerSecond, CommandHandler<R> handler) {
            return add(new Command<>(name, command, type, handler, ratePerSecond, true, null));
        }

        private Builder add(Command<?> command) {
            if (commands.putIfAbsent(command.name(), command) != null) {
                throw new IllegalStateException("duplicate command " + command.path());
            }
            return this;
        }

        public ServiceTable build() {
            return new ServiceTable(this);
        }
    }
}
