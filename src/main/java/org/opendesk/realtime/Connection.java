package org.opendesk.realtime;

import io.helidon.websocket.WsSession;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open visitor socket. Frames go through a bounded queue written by the connection's own
 * virtual thread, so a slow client never holds up the hub; a client too slow to keep up is
 * closed with a reason and resumes with {@code since}. While the connection replays what the
 * user missed, live frames wait and are then sent without the ones the replay already covered.
 */
final class Connection {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    static final int MAX_QUEUED = 10_000;
    private static final String CLOSE = "\u0000close";

    private record Pending(long changeSeq, long msgSeq, Frames.Renderer frame) {
    }

    final long sdkAppId;
    final String user;
    private final WsSession session;
    private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final List<Pending> held = new ArrayList<>();
    /** While positive, live frames wait: during the replay, and while a frame of the user is being acknowledged. */
    private int holds = 1;
    private long delivered;
    private long highestMsgSeq;
    private volatile boolean closed;

    Connection(long sdkAppId, String user, WsSession session) {
        this.sdkAppId = sdkAppId;
        this.user = user;
        this.session = session;
        Thread.ofVirtual().name("ws-" + user).start(this::write);
    }

    /** Where the stream starts: changes after {@code since}; messages up to {@code since} arrive as edits. */
    synchronized void startAt(long since) {
        this.delivered = since;
        this.highestMsgSeq = since;
    }

    /** A message or edit from the replay (replaying) or the hub (live); each change is sent once, in order. */
    synchronized void offer(long changeSeq, long msgSeq, Frames.Renderer frame, boolean live) {
        if (holds > 0 && live) {
            held.add(new Pending(changeSeq, msgSeq, frame));
            return;
        }
        if (changeSeq <= delivered) {
            return;
        }
        boolean fresh = msgSeq > highestMsgSeq;
        enqueue(frame.render(fresh ? Frames.Kind.MSG : Frames.Kind.MODIFIED));
        delivered = changeSeq;
        highestMsgSeq = Math.max(highestMsgSeq, msgSeq);
    }

    /** Ends the replay: live frames that came meanwhile and are newer than it go out. */
    void live() {
        release();
    }

    /** Holds live frames back, so that the Ack of the user's frame goes out before the echo of it. */
    synchronized void hold() {
        holds++;
    }

    /** Lets held live frames go, newest-only, once nothing holds them. */
    synchronized void release() {
        if (--holds > 0) {
            return;
        }
        for (Pending p : held) {
            if (p.changeSeq() > delivered) {
                enqueue(p.frame().render(p.msgSeq() > highestMsgSeq ? Frames.Kind.MSG : Frames.Kind.MODIFIED));
                delivered = p.changeSeq();
                highestMsgSeq = Math.max(highestMsgSeq, p.msgSeq());
            }
        }
        held.clear();
    }

    /** A frame outside the message stream (Ack, Error). */
    void send(String frame) {
        enqueue(frame);
    }

    private void enqueue(String frame) {
        if (closed) {
            return;
        }
        if (out.size() >= MAX_QUEUED) {
            close(1008, "client too slow: more than " + MAX_QUEUED + " frames waiting; reconnect with since");
            return;
        }
        out.add(frame);
    }

    void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        out.clear();
        out.add(CLOSE + code + " " + reason);
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
        out.add(CLOSE);
    }

    private void write() {
        try {
            while (true) {
                String frame = out.take();
                if (frame.startsWith(CLOSE)) {
                    String rest = frame.substring(CLOSE.length());
                    if (!rest.isEmpty()) {
                        int space = rest.indexOf(' ');
                        session.close(Integer.parseInt(rest.substring(0, space)), rest.substring(space + 1));
                    }
                    return;
                }
                session.send(frame, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            closed = true;
            LOG.log(Level.FINE, "socket of " + user + " failed while sending", e);
        }
    }
}
