/**
 * The one Jackson mapper both processes share, strict on purpose (no coercion of numbers into
 * strings, no duplicate keys, no trailing tokens), so the API, the node link and the status
 * endpoints read and write JSON alike. Used by every module; uses only Jackson.
 */
package org.opencache.common.json;
