/**
 * The public API of the SSE starter: {@link io.github.ssestarter.SseItem}, the broadcaster, the
 * annotations and the extension points.
 */
@NullMarked
package io.github.ssestarter;

import org.jspecify.annotations.NullMarked;
