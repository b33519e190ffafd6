/**
 * The writing side of the {@code text/event-stream} format: the spec-exact formatter and the
 * encoder of items into frames; free of Spring.
 *
 * <p>Internal: not API. Its types are public only so that the starter's other packages can reach
 * them; applications must not use them, and they may change in any release without notice.
 */
@NullMarked
package io.github.ssestarter.internal.wire;

import org.jspecify.annotations.NullMarked;
