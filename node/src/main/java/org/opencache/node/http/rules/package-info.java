/**
 * The pure rules of HTTP caching (RFC 9111, and RFC 9110's conditionals and ranges): what may be
 * stored and for how long ({@code CachePolicy}, {@code Freshness}, {@code CacheControl}, with RFC
 * 9213's targeted fields in {@code TargetedFields} and {@code StructuredDictionary}), when a
 * stored response may be reused, which request conditions hold ({@code Preconditions}), which
 * byte ranges a request asks for ({@code ByteRanges}), how {@code Vary} selects a variant
 * ({@code Variants}), the store keys ({@code CacheKeys}) and the purge of a URL's variants or a
 * prefix in their terms ({@code Purges}), which fields are end-to-end and how
 * they are stored and sent ({@code HeaderFields}, {@code StoredView}), how an HTTP-date is read
 * ({@code HttpDate}, strictly: RFC 9110 §5.6.7), the RFC 9211
 * {@code Cache-Status} value ({@code CacheStatus}), and which resolved origin addresses an
 * instance may connect to ({@code OriginAccess}, docs/design.md §6 "Origin addresses").
 *
 * <p>No I/O: time comes from an injected {@code Clock}, fields are Jetty's value types, so every
 * rule is tested as a plain function (docs/http-caching.md cites each test). May use
 * {@code node.store}'s value types ({@code ObjectMeta}, {@code StoreKey}, {@code StoredObject}),
 * {@code common} ({@code Expression}, {@code AddressRange}) and Jetty's {@code http} package. Used by {@code http.fill} and {@code http.serve}.
 */
package org.opencache.node.http.rules;
