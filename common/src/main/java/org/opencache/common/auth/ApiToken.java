package org.opencache.common.auth;

/**
 * One line of the token file, without its secret: the name clients sign with and the logs
 * show, and the role. The secret stays inside {@link ApiTokens}, so nothing that holds an
 * {@code ApiToken} can log it.
 *
 * @param name the token's name, {@code [A-Za-z0-9._-]+}
 * @param role what the token may do
 */
public record ApiToken(String name, TokenRole role) {
}
