/**
 * The {@code text/event-stream} wire format: a spec-exact formatter, a push parser and a small
 * blocking client built on it; free of Spring.
 *
 * <p>For applications' tests: {@link io.github.ssestarter.wire.SseEventReader} and
 * {@link io.github.ssestarter.wire.SseEvent} read a stream the way a browser does. The formatter,
 * encoder and parser are the starter's.
 */
@NullMarked
package io.github.ssestarter.wire;

import org.jspecify.annotations.NullMarked;
