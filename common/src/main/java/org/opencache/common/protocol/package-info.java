/**
 * The messages of the controller–node link (docs/design.md §5) and the values they carry.
 *
 * <p><b>Frames.</b> Every ZeroMQ message is one frame holding one JSON-RPC 2.0 object (the
 * controller's ROUTER socket adds and strips the node's identity frame). Params are by name.
 * <pre>
 * {"jsonrpc": "2.0", "id": 7, "method": "keep_alive", "params": {"node-id": 1}}    request
 * {"jsonrpc": "2.0", "method": "alert", "params": {"node-id": 1, "type": "load", "value": 612.5}}
 * {"jsonrpc": "2.0", "id": 7, "result": true}                                      result
 * {"jsonrpc": "2.0", "id": 9, "error": {"code": -32602, "message": "Invalid params", "data": "…"}}
 * </pre>
 *
 * <p><b>Methods</b> ({@link org.opencache.common.protocol.Methods}). Node → controller:
 * {@code hello} ({@link org.opencache.common.protocol.Hello} → {@link org.opencache.common.protocol.NodeRef}),
 * {@code keep_alive} and {@code goodbye} ({@code NodeRef} → {@code true}); notifications
 * {@code stat} ({@link org.opencache.common.protocol.StatReport}) and {@code alert}
 * ({@link org.opencache.common.protocol.Alert}). Controller → node: the commands, one record each
 * ({@link org.opencache.common.protocol.Command}): {@code start}
 * ({@link org.opencache.common.protocol.StartCommand}, {@code {"expr", "horizon"}}), {@code stop},
 * {@code pause}, {@code stat} ({@code {"expr"}}), {@code fetch} and {@code seed}
 * ({@code {"expr": "url|url"}}); start, stop and pause answer an
 * {@link org.opencache.common.protocol.InstancesResult}. A controller that does not know a node
 * answers its requests with {@link org.opencache.common.protocol.RpcError#UNKNOWN_NODE}.
 *
 * <p><b>Bounds.</b> The payload records check what a node sends when it is decoded, numbers as
 * well as types: counters and sizes from 0 to 2<sup>53</sup>, loads finite from 0 to
 * 10<sup>9</sup> requests/s, ports 0-65535 (docs/design.md §5, "Bounds"). A violation is a
 * {@link org.opencache.common.protocol.MalformedMessageException} naming the field, e.g.
 * {@code 'stats[1].cache_hit'}.
 *
 * <p>{@link org.opencache.common.protocol.MessageCodec} is the only reader and writer of frames;
 * {@link org.opencache.common.protocol.Outbox} hands frames to the one thread that owns a socket.
 */
package org.opencache.common.protocol;
