/**
 * Topics, fan-out to subscribers, the bounded replay buffer, and resumable streams; knows nothing of
 * servlets.
 *
 * <p>One mechanism serves both: a {@code Topic} is a ring of encoded frames, and each client is a
 * cursor into it that a writer advances while the client can take more. A broadcaster topic has any
 * number of publishers and subscribers; a resumable stream is a private topic with a single source
 * (the controller method's {@code Stream} or {@code Flux}) and at most one client at a time, which
 * may come back with its last event id and is replayed from the ring exactly as a topic's
 * subscriber is. Its ids carry the stream's random key where a topic's carry its epoch. A
 * {@code SseBackplane} is the contract of a log shared between instances, which the Redis
 * backplane implements.
 *
 * <p>Internal: not API. Its types are public only so that the starter's other packages can reach
 * them; applications must not use them, and they may change in any release without notice.
 */
@NullMarked
package io.github.ssestarter.internal.broadcast;

import org.jspecify.annotations.NullMarked;
