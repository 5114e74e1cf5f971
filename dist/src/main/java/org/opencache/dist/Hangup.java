package org.opencache.dist;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;

/**
 * {@code SIGHUP} reopens the logs, as daemons do for logrotate (docs/design.md §2). Java has no
 * public API for signals: this uses {@code sun.misc.Signal} (module {@code jdk.unsupported}),
 * through reflection because javac's warning about that API cannot be suppressed and the build
 * treats warnings as errors. Where it is unavailable (another JVM, or {@code -Xrs}, which leaves
 * {@code SIGHUP} to the JVM) the process says why at start and keeps running; without a handler,
 * the JVM's own makes {@code SIGHUP} a shutdown.
 */
final class Hangup {
    private Hangup() {
    }

    /**
     * Runs {@code reopen} on each {@code SIGHUP} (on the JVM's signal thread).
     *
     * @return whether the handler is installed; when not, a WARN says why
     */
    static boolean onHangup(Runnable reopen, Logger log) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object hup = signalClass.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(Hangup.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            run(reopen, log);
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "SIGHUP: reopen the logs";
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            handle.invoke(null, hup, handler);
            return true;
        } catch (InvocationTargetException e) {
            // "Signal already used by VM or OS: SIGHUP": the JVM runs with -Xrs.
            log.warn("SIGHUP will not reopen the logs: {}; use a copytruncate rotation instead",
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            log.warn("SIGHUP will not reopen the logs: this JVM has no sun.misc.Signal ({});"
                    + " use a copytruncate rotation instead", e.toString());
        }
        return false;
    }

    private static void run(Runnable reopen, Logger log) {
        try {
            log.info("SIGHUP: reopening the logs");
            reopen.run();
        } catch (RuntimeException e) {
            log.warn("SIGHUP: reopening the logs failed: {}", e.toString());
        }
    }
}
