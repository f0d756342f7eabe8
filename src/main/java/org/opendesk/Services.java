package org.opendesk;

import org.opendesk.account.AccountService;
import org.opendesk.callback.CallbackService;
import org.opendesk.imagent.ImAgentService;
import org.opendesk.matching.Embedder;
import org.opendesk.message.MessageStore;
import org.opendesk.robot.ChangeSignal;
import org.opendesk.robot.KnowledgeService;
import org.opendesk.robot.RobotService;
import org.opendesk.team.AgentGroupLookup;
import org.opendesk.tenant.TenantSeeder;

import java.time.Clock;
import java.util.List;

/** The domain services, built once; the one place that lists whose defaults every app gets. */
record Services(AccountService accounts, KnowledgeService knowledge, RobotService robots, ImAgentService imAgents,
                CallbackService callbacks, ChangeSignal knowledgeChanged, MessageStore messages) {
    static Services create(Clock clock, Embedder embedder) {
        ChangeSignal knowledgeChanged = new ChangeSignal();
        KnowledgeService knowledge = new KnowledgeService(clock, knowledgeChanged, embedder);
        AccountService accounts = new AccountService(clock);
        RobotService robots = new RobotService(knowledge, clock);
        ImAgentService imAgents = new ImAgentService(accounts, robots, new AgentGroupLookup(), clock);
        return new Services(accounts, knowledge, robots, imAgents, new CallbackService(clock), knowledgeChanged,
                new MessageStore(clock));
    }

    /** In dependency order: the default customer-service account's settings need its IM account. */
    List<TenantSeeder> seeders() {
        return List.of(accounts, robots, imAgents);
    }
}
