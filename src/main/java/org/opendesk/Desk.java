package org.opendesk;

import io.helidon.scheduling.FixedRate;
import io.helidon.scheduling.Task;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.opendesk.account.AccountCommands;
import org.opendesk.agent.AgentApi;
import org.opendesk.agent.AgentEventRetention;
import org.opendesk.agent.AgentHub;
import org.opendesk.agent.AgentSocket;
import org.opendesk.agent.AgentTokens;
import org.opendesk.agent.Workbench;
import org.opendesk.auth.AdminAuthenticator;
import org.opendesk.auth.UserSig;
import org.opendesk.auth.UserSigVerifier;
import org.opendesk.config.DeskConfig;
import org.opendesk.satisfaction.SatisfactionCommands;
import org.opendesk.satisfaction.SatisfactionService;
import org.opendesk.rest.AdminRestService;
import org.opendesk.rest.CommandTables;
import org.opendesk.rest.RateLimiter;
import org.opendesk.rest.RestDispatcher;
import org.opendesk.rest.ServiceTable;
import org.opendesk.callback.CallbackCommands;
import org.opendesk.callback.CallbackService;
import org.opendesk.callback.OutboxDelivery;
import org.opendesk.conversation.ConversationCommands;
import org.opendesk.conversation.ConversationService;
import org.opendesk.conversation.ConversationWorker;
import org.opendesk.conversation.OpenImCommands;
import org.opendesk.agent.AgentEventLog;
import org.opendesk.human.HumanCommands;
import org.opendesk.human.HumanService;
import org.opendesk.imagent.ImAgentCommands;
import org.opendesk.realtime.MessageHub;
import org.opendesk.realtime.Presence;
import org.opendesk.realtime.VisitorSocket;
import org.opendesk.tenant.Tenant;
import org.opendesk.matching.Embedder;
import org.opendesk.robot.AnswerService;
import org.opendesk.robot.KnowledgeCommands;
import org.opendesk.robot.KnowledgeIndex;
import org.opendesk.robot.ToAgentIntent;
import org.opendesk.robot.Housekeeping;
import org.opendesk.robot.RobotCommands;
import org.opendesk.storage.Database;
import org.opendesk.team.TeamCommands;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.App;
import org.opendesk.tenant.TenantRegistry;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The wired application: database, tenants, domain services and transports, built in
 * dependency order from the configuration. Background work starts and stops with the
 * web server through {@link #lifecycle()}.
 */
public final class Desk implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Desk.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeskConfig config;
    private final Clock clock;
    private final Database database;
    private final TenantRegistry tenants;
    private final RestDispatcher dispatcher;
    private final AdminRestService adminRest;
    private final long primaryApp;
    private final String generatedKeyNotice;
    private final KnowledgeIndex knowledgeIndex;
    private final ToAgentIntent toAgent;
    private final Housekeeping housekeeping;
    private final CallbackService callbacks;
    private final OutboxDelivery outbox;
    private volatile Task refreshTask;
    private volatile Task indexTask;
    private volatile Task housekeepingTask;
    private volatile Task reconcileTask;
    private volatile Task outboxTask;
    private volatile Task conversationTask;
    private volatile Task idleTask;
    private volatile Task timerTask;
    private volatile Task presenceTask;
    private volatile Task queueTask;
    private final TeamService team;
    private final HumanService human;
    private final Presence presence;
    private final AgentEventLog agentEvents;
    private final ConversationService conversations;
    private final ConversationWorker worker;
    private final MessageHub hub;
    private final AdminAuthenticator auth;
    private final Services services;
    private final AgentEventRetention agentEventRetention;
    private final AgentHub agentHub;
    private final AgentTokens agentTokens;
    private final Workbench workbench;
    private final AgentApi agentApi;
    private final SatisfactionService satisfaction;

    /**
     * @param workbench makes the workbench the agent API calls, from the wired desk (called last in
     *                  the constructor, once every other part is there)
     */
    private Desk(DeskConfig config, Clock clock, Function<Desk, Workbench> workbench) {
        this.config = config;
        this.clock = clock;
        this.database = Database.open(config.db());
        Embedder embedder = Embedder.shared();
        Services services = Services.create(clock, embedder);
        this.services = services;
        this.tenants = new TenantRegistry(database, clock, services.seeders());
        this.knowledgeIndex = new KnowledgeIndex(database.client(), tenants, embedder, clock);
        Bootstrap boot;
        try {
            boot = bootstrap();
            tenants.seedAll();
            long started = System.nanoTime();
            try {
                int indexed = knowledgeIndex.sync(); // the rebuild: every question of every app, before we listen
                LOG.info("knowledge index built from the database: " + indexed + " questions in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            } catch (RuntimeException e) {
                // the server still serves everything else; the poll retries, and /observe/health shows the index down
                LOG.log(Level.SEVERE, "knowledge index could not be built from the database; retrying in the background", e);
            }
        } catch (RuntimeException e) {
            knowledgeIndex.close();
            database.close();
            throw e;
        }
        try {
            this.toAgent = new ToAgentIntent(embedder);
        } catch (RuntimeException e) {
            knowledgeIndex.close();
            database.close();
            throw e;
        }
        services.knowledgeChanged().listen(knowledgeIndex::syncQuietly);
        this.primaryApp = boot.sdkAppId();
        this.generatedKeyNotice = boot.notice();
        this.housekeeping = new Housekeeping(database.client(), clock);
        this.callbacks = services.callbacks();
        this.outbox = new OutboxDelivery(database.client(), tenants, callbacks, clock);
        AnswerService answers = new AnswerService(services.robots(), knowledgeIndex, toAgent, clock);
        this.conversations = new ConversationService(services.messages(), services.accounts(), services.imAgents(),
                services.robots(), answers, callbacks, clock, config.robotIdleSeconds() * 1000L);
        this.team = new TeamService(database.client(), tenants, clock);
        team.referencedBy(services.imAgents()::groupInUse);
        this.agentEvents = new AgentEventLog(services.messages(), clock);
        this.satisfaction = new SatisfactionService(services.messages(), conversations.sessions(), conversations.events(),
                agentEvents, clock);
        conversations.ratings(satisfaction);
        this.human = new HumanService(database.client(), tenants, services.messages(), conversations, services.imAgents(),
                team, callbacks, agentEvents, clock, Duration.ofMillis(config.assignWebhookMillis()), answers);
        this.worker = new ConversationWorker(conversations, ConversationWorker.LANES);
        this.hub = new MessageHub(services.messages(), tenants);
        this.presence = new Presence(database.client(), tenants, System::currentTimeMillis);
        human.watch(presence);
        Map<String, ServiceTable> tables = CommandTables.build(new AccountCommands(services.accounts()),
                new KnowledgeCommands(services.knowledge()), new RobotCommands(services.robots(), answers),
                new ImAgentCommands(services.imAgents()), new CallbackCommands(services.callbacks()),
                new ConversationCommands(conversations), new OpenImCommands(conversations), new HumanCommands(human),
                new TeamCommands(team), new SatisfactionCommands(satisfaction));
        this.auth = new AdminAuthenticator(tenants, new UserSigVerifier(clock, 100_000));
        this.dispatcher = new RestDispatcher(tables, auth, new RateLimiter(clock, config.rateLimits()));
        this.adminRest = new AdminRestService(dispatcher, config.maxBodyBytes());
        this.agentEventRetention = new AgentEventRetention(database.client(), clock);
        this.agentHub = new AgentHub(agentEvents, tenants);
        this.agentTokens = new AgentTokens(tenants, team, clock, Duration.ofSeconds(config.agentTokenSeconds()));
        this.workbench = workbench.apply(this);
        this.agentApi = new AgentApi(team, agentTokens, this.workbench, agentHub, config.maxBodyBytes());
    }

    /** The desk with the human service as the agent API's workbench. */
    public static Desk start(DeskConfig config, Clock clock) {
        return start(config, clock, Desk::human);
    }

    public static Desk start(DeskConfig config, Clock clock, Function<Desk, Workbench> workbench) {
        return new Desk(config, clock, workbench);
    }

    public AdminRestService adminRest() {
        return adminRest;
    }

    public RestDispatcher dispatcher() {
        return dispatcher;
    }

    public TenantRegistry tenants() {
        return tenants;
    }

    public Database database() {
        return database;
    }

    public long primaryApp() {
        return primaryApp;
    }

    /** Starts and stops background work with the server (registered as a service without routes). */
    public HttpService lifecycle() {
        return new HttpService() {
            @Override
            public void routing(HttpRules rules) {
                // no routes: this service exists for beforeStart/afterStop
            }

            @Override
            public void beforeStart() {
                refreshTask = FixedRate.builder()
                        .initialDelay(5).delay(5).timeUnit(TimeUnit.SECONDS)
                        .task(inv -> refreshTenants())
                        .build();
                // other nodes' knowledge changes reach this node's index within a second
                indexTask = FixedRate.builder()
                        .initialDelay(500).delay(500).timeUnit(TimeUnit.MILLISECONDS)
                        .task(inv -> knowledgeIndex.syncQuietly())
                        .build();
                outboxTask = FixedRate.builder()
                        .initialDelay(200).delay(200).timeUnit(TimeUnit.MILLISECONDS)
                        .task(inv -> deliverCallbacks())
                        .build();
                // user messages left pending (a crash, a failure) are answered again, in order per session
                conversationTask = FixedRate.builder()
                        .initialDelay(1).delay(2).timeUnit(TimeUnit.SECONDS)
                        .task(inv -> resumeConversations())
                        .build();
                // durable timers (accept timeouts, requests for a human left by a crash), on every node
                timerTask = FixedRate.builder()
                        .initialDelay(500).delay(500).timeUnit(TimeUnit.MILLISECONDS)
                        .task(inv -> fireTimers())
                        .build();
                // queues are served and positions told again each second (other nodes' changes, missed wake-ups)
                queueTask = FixedRate.builder()
                        .initialDelay(1).delay(1).timeUnit(TimeUnit.SECONDS)
                        .task(inv -> serveQueues())
                        .build();
                // presence: this node's visitor sockets refreshed, a stopped node's removed (its users go offline)
                presenceTask = FixedRate.builder()
                        .initialDelay(Presence.HEARTBEAT_MILLIS).delay(Presence.HEARTBEAT_MILLIS)
                        .timeUnit(TimeUnit.MILLISECONDS)
                        .task(inv -> heartbeat())
                        .build();
                idleTask = FixedRate.builder()
                        .initialDelay(30).delay(30).timeUnit(TimeUnit.SECONDS)
                        .task(inv -> endIdleSessions())
                        .build();
                reconcileTask = FixedRate.builder()
                        .initialDelay(5).delay(5).timeUnit(TimeUnit.MINUTES)
                        .task(inv -> reconcileIndex())
                        .build();
                housekeepingTask = FixedRate.builder()
                        .initialDelay(1).delay(60).timeUnit(TimeUnit.MINUTES)
                        .task(inv -> housekeeping())
                        .build();
            }

            @Override
            public void afterStop() {
                close();
            }
        };
    }

    private void deliverCallbacks() {
        try {
            while (outbox.deliverDue() > 0) {
                // keep going while events flow; the next round comes in 200 ms
            }
        } catch (RuntimeException e) {
            LOG.warning("callback delivery failed (will retry): " + e.getMessage());
        }
    }

    private void resumeConversations() {
        try {
            for (App app : tenants.apps()) {
                Tenant tenant = tenants.find(app.sdkAppId()).orElse(null);
                if (tenant != null) {
                    conversations.stalled(tenant, 2_000).forEach(session -> worker.submit(tenant, session));
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("resuming pending conversations failed (will retry): " + e.getMessage());
        }
    }

    private void fireTimers() {
        try {
            while (human.fireDueTimers() > 0) {
                // more may be due
            }
        } catch (RuntimeException e) {
            LOG.warning("firing timers failed (will retry): " + e.getMessage());
        }
    }

    private void heartbeat() {
        try {
            presence.heartbeat();
        } catch (RuntimeException e) {
            LOG.warning("presence heartbeat failed (will retry): " + e.getMessage());
        }
    }

    private void serveQueues() {
        try {
            for (App app : tenants.apps()) {
                tenants.find(app.sdkAppId()).ifPresent(human::dispatch);
            }
        } catch (RuntimeException e) {
            LOG.warning("serving queues failed (will retry): " + e.getMessage());
        }
    }

    private void endIdleSessions() {
        try {
            for (App app : tenants.apps()) {
                tenants.find(app.sdkAppId()).ifPresent(conversations::endIdle);
            }
        } catch (RuntimeException e) {
            LOG.warning("ending idle sessions failed (will retry): " + e.getMessage());
        }
    }

    private void reconcileIndex() {
        try {
            knowledgeIndex.reconcile();
        } catch (RuntimeException e) {
            LOG.warning("knowledge index reconciliation failed (will retry): " + e.getMessage());
        }
    }

    private void housekeeping() {
        try {
            housekeeping.purgeUnanswered();
            housekeeping.purgeTombstones();
            agentEventRetention.purge();
        } catch (RuntimeException e) {
            LOG.warning("housekeeping failed (will retry): " + e.getMessage());
        }
    }

    private void refreshTenants() {
        try {
            tenants.refresh();
        } catch (RuntimeException e) {
            LOG.warning("tenant refresh failed: " + e.getMessage());
        }
    }

    /** Prints how to reach the server: the app, and a curl line with a fresh admin UserSig. */
    public String welcome(int port) {
        App app = tenants.find(primaryApp).orElseThrow().app();
        String admin = app.admins().stream().sorted().findFirst().orElse("administrator");
        String sig = UserSig.generate(app.sdkAppId(), app.secretKey(), admin, 86_400, clock.millis() / 1000);
        long random = RANDOM.nextLong(4_294_967_296L);
        StringBuilder out = new StringBuilder();
        out.append("\nDesk server listening on http://localhost:").append(port)
                .append("  (database ").append(database.settings().describe()).append(")\n");
        out.append("App SDKAppID ").append(app.sdkAppId()).append(", admins ").append(app.admins()).append('\n');
        if (generatedKeyNotice != null) {
            out.append(generatedKeyNotice).append('\n');
        }
        out.append("Try it (this UserSig is valid for 24 hours):\n");
        out.append("curl -s -X POST 'http://localhost:").append(port)
                .append("/v4/im_open_login_svc/account_check?sdkappid=").append(app.sdkAppId())
                .append("&identifier=").append(admin).append("&usersig=").append(sig)
                .append("&random=").append(random).append("&contenttype=json' ")
                .append("-d '{\"CheckItem\":[{\"UserID\":\"@customer_service_account\"}]}'\n");
        return out.toString();
    }

    private record Bootstrap(long sdkAppId, String notice) {
    }

    /**
     * Makes sure the configured app exists with the configured key and admins; on a first
     * start without configuration, creates an app with a generated SDKAppID and key.
     */
    private Bootstrap bootstrap() {
        List<App> apps = tenants.apps();
        if (config.sdkAppId() != null) {
            long id = config.sdkAppId();
            Optional<App> existing = apps.stream().filter(a -> a.sdkAppId() == id).findFirst();
            String key = config.secretKey() != null ? config.secretKey()
                    : existing.map(App::secretKey).orElseGet(Desk::generateKey);
            App wanted = new App(id, key, Set.copyOf(config.admins()));
            if (existing.isEmpty() || !existing.get().equals(wanted)) {
                tenants.upsert(id, key, config.admins());
            }
            String notice = existing.isEmpty() && config.secretKey() == null ? keyNotice(id, key) : null;
            return new Bootstrap(id, notice);
        }
        if (apps.isEmpty()) {
            long id = 1_400_000_000L + RANDOM.nextInt(100_000_000);
            String key = generateKey();
            tenants.upsert(id, key, config.admins());
            return new Bootstrap(id, keyNotice(id, key));
        }
        return new Bootstrap(apps.get(0).sdkAppId(), null);
    }

    private static String keyNotice(long id, String key) {
        return "Created app " + id + " with secret key " + key + "\n"
                + "  (set DESK_SDKAPPID/DESK_SECRET_KEY to choose your own; `./desk apps` prints the keys again)";
    }

    private static String generateKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public CallbackService callbacks() {
        return callbacks;
    }

    public OutboxDelivery outbox() {
        return outbox;
    }

    public ConversationService conversations() {
        return conversations;
    }

    public MessageHub hub() {
        return hub;
    }

    public Presence presence() {
        return presence;
    }

    /** A listener for one visitor socket (/im/v1/ws). */
    public VisitorSocket visitorSocket() {
        return new VisitorSocket(auth, services.accounts(), conversations, hub, presence);
    }

    /** Members, agent groups and desk settings. */
    public TeamService team() {
        return team;
    }

    public SatisfactionService satisfaction() {
        return satisfaction;
    }

    public HumanService human() {
        return human;
    }

    /** The durable stream of agent events the agent socket pushes. */
    public AgentEventLog agentEvents() {
        return agentEvents;
    }

    public KnowledgeIndex knowledgeIndex() {
        return knowledgeIndex;
    }

    public AgentHub agentHub() {
        return agentHub;
    }

    public AgentTokens agentTokens() {
        return agentTokens;
    }

    /** The agent API at /agent/v1. */
    public AgentApi agentApi() {
        return agentApi;
    }

    /** A listener for one agent socket (/agent/v1/ws). */
    public AgentSocket agentSocket() {
        return new AgentSocket(agentTokens, agentHub);
    }

    @Override
    public void close() {
        human.close(); // queue announcements scheduled from now on are dropped, not written into a closing database
        if (presenceTask != null) {
            presenceTask.executor().shutdownNow();
        }
        for (Task task : new Task[] {refreshTask, indexTask, outboxTask, reconcileTask, housekeepingTask, conversationTask,
            idleTask, timerTask, queueTask}) {
            if (task != null) {
                task.executor().shutdownNow();
            }
        }
        hub.close();
        agentHub.close();
        worker.close();
        knowledgeIndex.close();
        toAgent.close();
        presence.close();
        tenants.close(); // the writes in flight finish before the database closes
        database.close();
    }
}
