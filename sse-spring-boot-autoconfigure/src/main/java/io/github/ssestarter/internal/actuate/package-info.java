/**
 * Observability of event streams: Micrometer meters of streams, topics and the backplane, and the
 * {@code /actuator/sse} endpoint (which security rules name by its id, {@code sse}); created by the
 * auto-configuration when Micrometer and Actuator are there.
 *
 * <p>Internal: not API. Its types are public only so that the starter's other packages can reach
 * them; applications must not use them, and they may change in any release without notice.
 */
@NullMarked
package io.github.ssestarter.internal.actuate;

import org.jspecify.annotations.NullMarked;
