package org.opendesk.realtime;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.opendesk.error.DeskError;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every socket of a stream does alike once it is open: a ping gets a pong with its payload
 * (RFC 6455 5.5.2) through the connection's writer, a binary frame gets an Error frame (the socket
 * stays open), and a closed or failed socket leaves its hub. One listener per connection.
 */
public abstract class SocketListener implements WsListener {
    private static final Logger LOG = Logger.getLogger(SocketListener.class.getName());

    private final String kind;
    private final String binaryRefusal;
    private final Consumer<Connection> leave;
    /** The open connection; null until the sign-in succeeded and the socket opened. */
    protected Connection connection;
    private final java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param kind          what the socket is, for logs ("visitor", "agent")
     * @param binaryRefusal the ErrorInfo a binary frame gets
     * @param leave         takes a closed connection off its hub
     */
    protected SocketListener(String kind, String binaryRefusal, Consumer<Connection> leave) {
        this.kind = kind;
        this.binaryRefusal = binaryRefusal;
        this.leave = leave;
    }

    @Override
    public final void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (connection != null && last) {
            connection.send(Frames.error(DeskError.MSG_FORMAT.code(), binaryRefusal));
        }
    }

    @Override
    public final void onPing(WsSession session, BufferData buffer) {
        if (connection != null) {
            connection.pong(buffer);
        }
    }

    @Override
    public final void onClose(WsSession session, int status, String reason) {
        leave();
    }

    @Override
    public final void onError(WsSession session, Throwable t) {
        LOG.log(Level.FINE, kind + " socket failed", t);
        leave();
    }

    /** A closed or failed socket leaves its hub, once (a failure may be followed by a close). */
    private void leave() {
        if (connection != null && gone.compareAndSet(false, true)) {
            leave.accept(connection);
            left();
        }
    }

    /** After the open socket left its hub, once: what else the socket's kind must undo. */
    protected void left() {
    }
}
