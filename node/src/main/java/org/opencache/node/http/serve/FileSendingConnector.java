package org.opencache.node.http.serve;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An instance's listening port: a {@link ServerConnector} whose connections are {@link FileSendingEndPoint}s. */
public final class FileSendingConnector extends ServerConnector {
    private final long sendfileMinSize;

    /**
     * A connector on {@code server} with Jetty's default acceptors and selectors.
     *
     * @param sendfileMinSize bodies of at least this many bytes are sent from their files
     *                        ({@code sendfile_min_size})
     */
    public FileSendingConnector(Server server, long sendfileMinSize, ConnectionFactory... factories) {
        super(server, 0, -1, factories);
        this.sendfileMinSize = sendfileMinSize;
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        FileSendingEndPoint endPoint = new FileSendingEndPoint(channel, selector, key, getScheduler(), sendfileMinSize);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }
}
