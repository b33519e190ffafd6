/**
 * The {@code text/event-stream} wire format: a spec-exact formatter, a push parser and a small
 * blocking client built on it; free of Spring.
 */
@NullMarked
package io.github.ssestarter.wire;

import org.jspecify.annotations.NullMarked;
