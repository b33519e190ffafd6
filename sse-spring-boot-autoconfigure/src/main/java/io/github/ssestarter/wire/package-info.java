/**
 * Reading the {@code text/event-stream} format as a browser does, for applications' tests: a small
 * blocking client ({@link io.github.ssestarter.wire.SseEventReader}), the events it returns, and the
 * push parser under it for asynchronous clients; free of Spring.
 *
 * <p>For applications' tests; the starter's own writing side is internal.
 */
@NullMarked
package io.github.ssestarter.wire;

import org.jspecify.annotations.NullMarked;
