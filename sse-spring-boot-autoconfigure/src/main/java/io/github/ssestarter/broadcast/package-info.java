/**
 * Topics, fan-out to subscribers, the bounded replay buffer, and resumable streams; knows nothing of
 * servlets.
 *
 * <p>One mechanism serves both: a {@code Topic} is a ring of encoded frames, and each client is a
 * cursor into it that a writer advances while the client can take more. A broadcaster topic has any
 * number of publishers and subscribers; a resumable stream is a private topic with a single source
 * (the controller method's {@code Stream} or {@code Flux}) and at most one client at a time, which
 * may come back with its last event id and is replayed from the ring exactly as a topic's
 * subscriber is. Its ids carry the stream's random key where a topic's carry its epoch.
 *
 * <p>For applications: the exceptions a publisher may catch ({@code SseBackplaneException},
 * {@code InvalidTopicException}), and {@code DefaultSseBroadcaster} to put an application's own
 * {@code SseBroadcaster} in front of. {@code SseBackplane} and its event type are the contract of
 * a shared log, which only the Redis backplane implements today. The rest is the starter's.
 */
@NullMarked
package io.github.ssestarter.broadcast;

import org.jspecify.annotations.NullMarked;
