package org.opencache.controller.api;

import org.opencache.common.auth.TokenRole;

/** The outcome of checking a request's credentials: the role it acts with, or why it is refused. */
sealed interface Access {
    /** The request may go on with the rights of {@code role}. */
    record Granted(TokenRole role) implements Access {
    }

    /**
     * The request is refused with HTTP 401.
     *
     * @param reason what is wrong with the credentials, for the client and the log; never a secret
     */
    record Denied(String reason) implements Access {
    }
}
