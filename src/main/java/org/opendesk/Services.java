package org.opendesk;

import org.opendesk.account.AccountService;
import org.opendesk.matching.Embedder;
import org.opendesk.robot.ChangeSignal;
import org.opendesk.robot.KnowledgeService;
import org.opendesk.robot.RobotService;
import org.opendesk.tenant.TenantSeeder;

import java.time.Clock;
import java.util.List;

/** The domain services, built once; the one place that lists whose defaults every app gets. */
record Services(AccountService accounts, KnowledgeService knowledge, RobotService robots, ChangeSignal knowledgeChanged) {
    static Services create(Clock clock) {
        ChangeSignal knowledgeChanged = new ChangeSignal();
        KnowledgeService knowledge = new KnowledgeService(clock, knowledgeChanged, Embedder.shared());
        return new Services(new AccountService(clock), knowledge, new RobotService(knowledge, clock), knowledgeChanged);
    }

    List<TenantSeeder> seeders() {
        return List.of(accounts, robots);
    }
}
