/**
 * Spring MVC integration: which controller methods are event streams, the sources they return
 * pumped to the servlet response or into resumable streams, and the resumption of those streams
 * before their method would run. Applications configure it with {@code sse.*} properties and
 * {@code @SseEndpoint}.
 *
 * <p>Internal: not API. Its types are public only so that the starter's other packages can reach
 * them; applications must not use them, and they may change in any release without notice.
 */
@NullMarked
package io.github.ssestarter.internal.webmvc;

import org.jspecify.annotations.NullMarked;
