/**
 * Auto-configuration of the SSE starter and its {@code sse.*} properties.
 */
@NullMarked
package io.github.ssestarter.autoconfigure;

import org.jspecify.annotations.NullMarked;
