package org.opencache.node.http.origin;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.opencache.node.http.rules.OriginAccess;

/**
 * The origin client's name resolution, with the instance's {@link OriginAccess} applied to every
 * address before the client may connect to it. Jetty connects to exactly the addresses this
 * returns, so the address checked is the address used: a name that resolves to a public address
 * now and to 127.0.0.1 later (DNS rebinding) is checked again at the next connection, and a
 * pooled connection belongs to one rule (the request's tag, part of the pool's key).
 *
 * <p>Addresses that are refused are left out; when none is left, resolution fails with an
 * {@link OriginRefusedException} naming the first refusal.
 */
final class CheckingResolver implements SocketAddressResolver {
    private final SocketAddressResolver resolver;
    private final Supplier<Set<InetAddress>> nodeAddresses;

    CheckingResolver(SocketAddressResolver resolver, Supplier<Set<InetAddress>> nodeAddresses) {
        this.resolver = resolver;
        this.nodeAddresses = nodeAddresses;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        OriginAccess access = access(context);
        if (access == null) {
            // Every request is built from an OriginTarget, which carries its rule; fail closed if not.
            promise.failed(new IllegalStateException("no origin access rule for a connection to " + host + ":" + port));
            return;
        }
        resolver.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                Set<InetAddress> own = nodeAddresses.get();
                List<InetSocketAddress> allowed = new ArrayList<>();
                OriginAccess.Refusal first = null;
                for (InetSocketAddress address : addresses) {
                    Optional<OriginAccess.Refusal> refusal = address.getAddress() == null
                            ? Optional.empty() : access.check(address.getAddress(), own);
                    if (refusal.isEmpty() && address.getAddress() != null) {
                        allowed.add(address);
                    } else if (first == null && refusal.isPresent()) {
                        first = refusal.get();
                    }
                }
                if (!allowed.isEmpty()) {
                    promise.succeeded(allowed);
                } else if (first != null) {
                    promise.failed(new OriginRefusedException(host, first));
                } else {
                    // Only unresolved addresses: connecting would resolve again, unchecked. Fail closed.
                    promise.failed(new UnknownHostException(host + ": resolved to no address to check"));
                }
            }

            @Override
            public void failed(Throwable failure) {
                promise.failed(failure);
            }
        });
    }

    private static OriginAccess access(Map<String, Object> context) {
        return context.get(Destination.CONTEXT_KEY) instanceof Destination destination
                && destination.getOrigin().getTag() instanceof OriginAccess access ? access : null;
    }
}
