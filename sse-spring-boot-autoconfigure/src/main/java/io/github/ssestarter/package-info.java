/**
 * The public API of the SSE starter: {@link io.github.ssestarter.SseItem}, the broadcaster, the
 * annotations and the extension points.
 *
 * <p>For applications: everything an application writes against is here; the other packages are the
 * starter's own, public only where another of its packages or the auto-configuration needs it, unless
 * their {@code package-info} says otherwise.
 */
@NullMarked
package io.github.ssestarter;

import org.jspecify.annotations.NullMarked;
