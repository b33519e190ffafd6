/**
 * Spring WebFlux integration: which controller methods are event streams (by the rules shared
 * with Spring MVC), the streams opened on reactive responses, the resumption of resumable streams
 * before their method would run, {@code @LastEventId}, and problem details for refused streams.
 *
 * <p>Internal: not API. Its types are public only so that the starter's other packages can reach
 * them; applications must not use them, and they may change in any release without notice.
 */
@NullMarked
package io.github.ssestarter.internal.webflux;

import org.jspecify.annotations.NullMarked;
