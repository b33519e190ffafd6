/**
 * Observability of event streams: Micrometer meters and an Actuator endpoint.
 */
@NullMarked
package io.github.ssestarter.actuate;

import org.jspecify.annotations.NullMarked;
