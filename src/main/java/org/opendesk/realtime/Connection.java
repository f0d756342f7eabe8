package org.opendesk.realtime;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open socket of a stream (a visitor's messages, a member's agent events). Frames go through
 * a bounded queue written by the connection's own virtual thread, so a slow client never holds up
 * the hub and only that thread writes to the socket (Helidon's session is not safe for concurrent
 * sends: pongs and errors queue too); a client too slow to keep up is closed with a reason and
 * resumes with {@code since}. While the connection replays what its owner missed, live frames
 * wait and are then sent without the ones the replay already covered.
 */
public final class Connection {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    public static final int MAX_QUEUED = 10_000;

    /**
     * A frame of the stream, rendered for a thing new to the connection or for a change of one it
     * was sent already (a visitor's Msg or MsgModified; agent events are always new).
     */
    @FunctionalInterface
    public interface Frame {
        String render(boolean change);
    }

    private sealed interface Out {
    }

    private record Text(String frame) implements Out {
    }

    private record Pong(byte[] payload) implements Out {
    }

    /** Stops the writer; with a code, after closing the socket with it and the reason. */
    private record Stop(int code, String reason) implements Out {
    }

    private record Pending(long position, long subject, Frame frame) {
    }

    final long sdkAppId;
    final String owner;
    private final WsSession session;
    private final BlockingQueue<Out> out = new LinkedBlockingQueue<>();
    private final List<Pending> held = new ArrayList<>();
    /** While positive, live frames wait: during the replay, and while a frame of the owner is being acknowledged. */
    private int holds = 1;
    private long delivered;
    private long highestSubject;
    private volatile boolean closed;

    /** A connection of {@code owner} (a user, a member) of an app; it delivers nothing until a hub opens it. */
    public Connection(long sdkAppId, String owner, WsSession session) {
        this.sdkAppId = sdkAppId;
        this.owner = owner;
        this.session = session;
        Thread.ofVirtual().name("ws-" + owner).start(this::write);
    }

    /** Where the stream starts: positions after {@code since}; subjects up to {@code since} arrive as changes. */
    synchronized void startAt(long since) {
        this.delivered = since;
        this.highestSubject = since;
    }

    /**
     * An item of the stream from the replay (not live) or the hub's tail (live): {@code position} is
     * its place in the stream, {@code subject} the thing it is about (a message's MsgSeq for an edit
     * of it). Each position is sent once, in order.
     */
    synchronized void offer(long position, long subject, Frame frame, boolean live) {
        if (holds > 0 && live) {
            held.add(new Pending(position, subject, frame));
            return;
        }
        deliver(position, subject, frame);
    }

    private void deliver(long position, long subject, Frame frame) {
        if (position <= delivered) {
            return;
        }
        enqueue(new Text(frame.render(subject <= highestSubject)));
        delivered = position;
        highestSubject = Math.max(highestSubject, subject);
    }

    /** Ends the replay: live frames that came meanwhile and are newer than it go out. */
    void live() {
        release();
    }

    /** Holds live frames back, so that the Ack of the owner's frame goes out before the echo of it. */
    synchronized void hold() {
        holds++;
    }

    /** Lets held live frames go, newest-only, once nothing holds them. */
    synchronized void release() {
        if (--holds > 0) {
            return;
        }
        for (Pending p : held) {
            deliver(p.position(), p.subject(), p.frame());
        }
        held.clear();
    }

    /** A frame outside the stream (Ack, Error). */
    public void send(String frame) {
        enqueue(new Text(frame));
    }

    /** Answers a ping with a pong carrying its payload (RFC 6455 5.5.2), in turn with the other frames. */
    public void pong(BufferData ping) {
        byte[] payload = new byte[ping.available()];
        ping.read(payload);
        enqueue(new Pong(payload));
    }

    private void enqueue(Out frame) {
        if (closed) {
            return;
        }
        if (out.size() >= MAX_QUEUED) {
            close(1008, "client too slow: more than " + MAX_QUEUED + " frames waiting; reconnect with since");
            return;
        }
        out.add(frame);
    }

    /** Closes the socket with a code and reason at once: frames still waiting are dropped. */
    public void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        out.clear();
        out.add(new Stop(code, reason));
    }

    /** Closes the socket with a code and reason after the frames already waiting; nothing else is sent. */
    void closeAfterPending(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        out.add(new Stop(code, reason));
    }

    public boolean closed() {
        return closed;
    }

    /** The socket closed: the writer stops. */
    void markClosed() {
        closed = true;
        out.add(new Stop(0, ""));
    }

    private void write() {
        try {
            while (true) {
                switch (out.take()) {
                    case Text t -> session.send(t.frame(), true);
                    case Pong p -> session.pong(BufferData.create(p.payload()));
                    case Stop s -> {
                        if (s.code() != 0) {
                            session.close(s.code(), s.reason());
                        }
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            closed = true;
            LOG.log(Level.FINE, "socket of " + owner + " failed while sending", e);
        }
    }
}
