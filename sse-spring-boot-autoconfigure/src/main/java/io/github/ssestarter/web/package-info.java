/**
 * Spring MVC integration: which controller methods are event streams, the sources they return
 * pumped to the servlet response or into resumable streams, and the resumption of those streams
 * before their method would run.
 *
 * <p>The starter's own: public only so that the auto-configuration can create it. Applications
 * configure it with {@code sse.*} properties and {@code @SseEndpoint}.
 */
@NullMarked
package io.github.ssestarter.web;

import org.jspecify.annotations.NullMarked;
