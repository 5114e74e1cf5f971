/**
 * The grammar of the API's parameters (docs/design.md §4), parsed in this one place: an
 * expression ({@code [http://]host[:port][/path-prefix]} or {@code *}) and its {@code |}-lists,
 * the fully resolved URLs of {@code fetch} and {@code seed} (one grammar with expressions), and
 * node selections ({@code 1|2}, {@code *}). Every rejection is an {@code InvalidExpressionException}
 * naming the part and what is wrong with it; {@code ClientText} is how any client input is echoed.
 *
 * <p>Plain Java, no libraries. Used by the controller's API (validation), the protocol's command
 * records, and the node (instances, coverage of a URL by an expression).
 */
package org.opencache.common.expr;
