/**
 * A backplane on Redis Streams, so that several instances share topics and replay.
 */
@NullMarked
package io.github.ssestarter.redis;

import org.jspecify.annotations.NullMarked;
