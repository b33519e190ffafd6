/**
 * The public API of the SSE starter: {@link io.github.ssestarter.SseItem}, the broadcaster, the
 * annotations, the extension points and the exceptions a caller may catch.
 *
 * <p>For applications: everything an application writes against is here. Besides it, applications
 * may use {@code wire} (a client for tests), {@code observation} (conventions to replace) and
 * {@code autoconfigure} (properties, and the classes to order after); everything under
 * {@code io.github.ssestarter.internal} is the starter's own.
 */
@NullMarked
package io.github.ssestarter;

import org.jspecify.annotations.NullMarked;
