/**
 * A backplane on Redis Streams, so that several instances share topics, replay and resumable
 * streams.
 *
 * <p>The starter's own: created by the auto-configuration with {@code sse.backplane=redis} on the
 * application's Redis connection.
 */
@NullMarked
package io.github.ssestarter.redis;

import org.jspecify.annotations.NullMarked;
