package org.opendesk.realtime;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.Test;
import org.opendesk.storage.Database;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;
import org.opendesk.testing.TestDb;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The replay limit of a tail: a member further behind is closed with the since to resume from, or goes live. */
class TailTest {
    /** A socket that records what is written to it. */
    private static final class Recorded implements WsSession {
        final BlockingQueue<String> out = new LinkedBlockingQueue<>();

        @Override
        public WsSession send(String text, boolean last) {
            out.add(text);
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            return this;
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            out.add("close " + code + " " + reason);
            return this;
        }

        @Override
        public WsSession terminate() {
            return this;
        }

        @Override
        public SocketContext socketContext() {
            return null;
        }

        String next() throws InterruptedException {
            return out.poll(5, TimeUnit.SECONDS);
        }
    }

    /** Items 1..n of one owner, each its own frame. */
    private static Tail.Feed<Long> feed(long n) {
        return new Tail.Feed<>() {
            @Override
            public long present(Tenant tenant) {
                return n;
            }

            @Override
            public List<Long> after(Tenant tenant, long after, int limit) {
                return java.util.stream.LongStream.rangeClosed(after + 1, n).limit(limit).boxed().toList();
            }

            @Override
            public List<Long> missedBy(Tenant tenant, String owner, long after, int limit) {
                return after(tenant, after, limit);
            }

            @Override
            public long position(Long item) {
                return item;
            }

            @Override
            public long subject(Long item) {
                return item;
            }

            @Override
            public Collection<String> owners(Long item) {
                return List.of("owner");
            }

            @Override
            public Connection.Frame frame(Long item) {
                return change -> "item " + item;
            }
        };
    }

    @Test
    void aConnectionFurtherBehindThanTheLimitGetsTheLimitThenACloseNamingWhereToResume() throws Exception {
        try (Database database = Database.open(TestDb.fresh())) {
            TenantRegistry tenants = new TenantRegistry(database, Clock.systemUTC(), List.of());
            Tenant tenant = tenants.upsert(1_400_000_077L, "key", List.of("admin"));
            try (Tail<Long> closing = new Tail<>("test-tail", tenants, feed(5), 3, Tail.ReplayLimit.CLOSE);
                 Tail<Long> live = new Tail<>("test-tail", tenants, feed(5), 3, Tail.ReplayLimit.GO_LIVE);
                 Tail<Long> exact = new Tail<>("test-tail", tenants, feed(3), 3, Tail.ReplayLimit.CLOSE)) {
                Recorded cut = new Recorded();
                closing.open(tenant, new Connection(tenant.sdkAppId(), "owner", cut), 0L);
                assertEquals(List.of("item 1", "item 2", "item 3", "close 1008 more than 3 missed; reconnect with since=3"),
                        List.of(cut.next(), cut.next(), cut.next(), cut.next()));
                assertEquals(0, closing.connectionCount());

                Recorded goesLive = new Recorded();
                live.open(tenant, new Connection(tenant.sdkAppId(), "owner", goesLive), 0L);
                assertEquals(List.of("item 1", "item 2", "item 3"), List.of(goesLive.next(), goesLive.next(), goesLive.next()));
                assertEquals(1, live.connectionCount());

                Recorded caughtUp = new Recorded();
                exact.open(tenant, new Connection(tenant.sdkAppId(), "owner", caughtUp), 0L);
                assertEquals(List.of("item 1", "item 2", "item 3"), List.of(caughtUp.next(), caughtUp.next(), caughtUp.next()));
                assertNull(caughtUp.out.poll(200, TimeUnit.MILLISECONDS), "exactly the limit missed: no close");
                assertEquals(1, exact.connectionCount());
            }
            tenants.close();
        }
    }
}
