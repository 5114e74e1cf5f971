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
 * <p>{@link org.opencache.common.protocol.MessageCodec} is the only reader and writer of frames;
 * {@link org.opencache.common.protocol.Outbox} hands frames to the one thread that owns a socket.
 */
package org.opencache.common.protocol;
