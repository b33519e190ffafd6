/**
 * Auto-configuration of the SSE starter and its {@code sse.*} properties.
 *
 * <p>For applications: {@code SseProperties} (bound to {@code sse.*}), and the auto-configuration
 * classes to order their own after. The only package that takes part in Spring's life cycle.
 */
@NullMarked
package io.github.ssestarter.autoconfigure;

import org.jspecify.annotations.NullMarked;
