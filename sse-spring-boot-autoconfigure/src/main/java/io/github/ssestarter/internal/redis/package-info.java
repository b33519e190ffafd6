/**
 * A backplane on Redis Streams, so that several instances share topics, replay and resumable
 * streams; created by the auto-configuration with {@code sse.backplane=redis} on the application's
 * Redis connection.
 *
 * <p>Internal: not API. Its types are public only so that the starter's other packages can reach
 * them; applications must not use them, and they may change in any release without notice.
 */
@NullMarked
package io.github.ssestarter.internal.redis;

import org.jspecify.annotations.NullMarked;
