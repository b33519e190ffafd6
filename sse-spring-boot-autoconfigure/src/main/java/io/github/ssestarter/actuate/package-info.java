/**
 * Observability of event streams: Micrometer meters and an Actuator endpoint.
 *
 * <p>The starter's own: created by the auto-configuration when Micrometer and Actuator are there.
 */
@NullMarked
package io.github.ssestarter.actuate;

import org.jspecify.annotations.NullMarked;
